"""The bad-input table: one row per case, run by run_bad_inputs.py (ctest -L bad_inputs).

Row format (a dict; add a row by copying one near it):
  id            unique name, lower case, words joined by '_'
  sub           the subcommand (embed, score, ism, merge, inspect), or '-' for a command line without one
  make          list of steps (steps.py) that turn a copy of the fixture into the bad input; the fixture
                (model/, ref.fa, in.fa, in.fq, reads.bam, reads.cram, calls.vcf[.gz], calls.bcf, regions.bed,
                each with its index) is described at the top of steps.py
  args          the command line after 'genomamba', run in the case folder (relative paths)
  exit          the exit code design.md §7 demands: 1 bad input or config, 2 usage, 3 device or internal
                (a tuple where the design allows either, e.g. (3, 1) for a full disk)
  msg           regular expression (case-insensitive) the error line must match; for exit 2 any stderr line
optional:
  file          path (as on the command line) the one error line must name; a tuple lists alternatives
  out           output path(s) that must be left absent or unchanged (default: the value of -o)
  stdin         file of the case folder fed to standard input
  timeout       seconds (default 60)
  check         for exit 0 only: check(case folder) -> None, or a problem (text)
  known_defect  text: the program does not behave as demanded yet (issue 11). The harness reports the row as
                KNOWN-DEFECT instead of failing, or FIXED? once it passes; then delete the mark.

Expected values come from design.md §7 (the behaviour demanded), not from what the program printed when the
row was written. The line between 1 and 2: an error that the command line alone shows (a malformed value,
flags that contradict each other) is a usage error, 2; one that needs a file's content or the file system to
see (an unknown contig, a --layer beyond the model's n_layer, a missing folder) is 1, and names the file.
"""
import struct

import h5py

from steps import (CHR1, CHR2, append, config, copy, genomamba, gzip_file, h5_attr, interrupted, many_records, mkdir,
                   mount_tmpfs, read_only_folder, remove, replace, shell, st_edit, st_raw, truncate, write)

# Valid command lines of each subcommand (small window, tiny model); rows change one thing in them.
EMBED = "embed -m model -i in.fa -o out.h5 --window 32"
SCORE = "score -m model -v calls.vcf -f ref.fa -o out.h5 --window 32"
ISM = "ism -m model -f ref.fa -r chr1:101-104 -o out.h5 --window 32"
INSPECT = "inspect -m model"
SAME_FILE = "same|input|reads|overwrite|replace"  # an output path that is also one of the run's inputs
NOT_DNA = "letter|character|base|DNA|nucleotide|protein"
# An interrupted embed job: out.h5.partial.d/ holds its first batches (the job is killed by SIGKILL).
INTERRUPTED = [many_records("big.fa"),
               interrupted("embed -m model -i big.fa -o out.h5 --window 32 --batch 1", "out.h5")]
NORM_F = "caduceus.backbone.norm_f.weight"


def _alias_offsets(header, body):
    """norm_f's offsets point into the bytes of another tensor at least as large: two tensors share bytes."""
    size = header[NORM_F]["data_offsets"][1] - header[NORM_F]["data_offsets"][0]
    other = next(k for k, v in header.items() if k not in ("__metadata__", NORM_F)
                 and v["data_offsets"][1] - v["data_offsets"][0] >= size)
    b = header[other]["data_offsets"][0]
    header[NORM_F]["data_offsets"] = [b, b + size]


def _beyond_end(header, body):
    """The last tensor's bytes are cut off and its offsets moved 4 KiB past the end of the file."""
    last = max((k for k in header if k != "__metadata__"), key=lambda k: header[k]["data_offsets"][1])
    b, e = header[last]["data_offsets"]
    header[last]["data_offsets"] = [b + 4096, e + 4096]
    return body[:b]


def _drop(name):
    """Removes a tensor: its header entry and its bytes (later tensors move down)."""
    def edit(header, body):
        b, e = header.pop(name)["data_offsets"]
        for k, v in header.items():
            if k != "__metadata__" and v["data_offsets"][0] >= e:
                v["data_offsets"] = [v["data_offsets"][0] - (e - b), v["data_offsets"][1] - (e - b)]
        return body[:b] + body[e:]
    return edit


def _nan_weights(header, body):
    b, e = header[NORM_F]["data_offsets"]
    return body[:b] + struct.pack("<f", float("nan")) * ((e - b) // 4) + body[e:]


def many_variants(path, n):
    """A VCF of n SNVs (all positions of chr1, repeated): enough output to fill a 64 KiB file system."""
    rows = [f"chr1\t{1 + i % 400}\t.\t{CHR1[i % 400]}\t{'A' if CHR1[i % 400] != 'A' else 'C'}\t.\t.\t."
            for i in range(n)]
    rows.sort(key=lambda r: int(r.split("\t")[1]))
    return write(path, _vcf(rows))


def _snv(contig, pos):
    """A VCF row of an SNV whose REF matches ref.fa."""
    ref = (CHR1 if contig == "chr1" else CHR2)[pos - 1]
    return f"{contig}\t{pos}\t.\t{ref}\t{'A' if ref != 'A' else 'C'}\t.\t.\t."


def _statuses(path, expected):
    """check: the score output's /variants/status column equals `expected`."""
    def check(folder):
        with h5py.File(folder / path, "r") as f:
            got = [int(x) for x in f["variants/status"][:]]
        return None if got == expected else f"{path}: /variants/status is {got}, expected {expected}"
    return check


def _vcf(rows, contigs=True):
    head = ["##fileformat=VCFv4.2"]
    if contigs:
        head += ["##contig=<ID=chr1,length=400>", "##contig=<ID=chr2,length=200>"]
    head.append("#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO")
    return "\n".join(head + rows) + "\n"


CASES = [
    # --- model folder --------------------------------------------------------------------------------------
    dict(id="model_missing", sub="embed", make=[], args="embed -m nomodel -i in.fa -o out.h5 --window 32",
         exit=1, msg="nomodel.*(does not exist|no such|not found)", file="nomodel"),
    dict(id="model_is_file", sub="inspect", make=[], args="inspect -m in.fa",
         exit=1, msg="not a (folder|directory)|is a (regular )?file|found a file", file="in.fa"),
    dict(id="model_no_config", sub="score", make=[remove("model/config.json")], args=SCORE,
         exit=1, msg="config.json", file="model/config.json"),
    dict(id="model_no_safetensors", sub="embed", make=[remove("model/model.safetensors")], args=EMBED,
         exit=1, msg="model.safetensors", file="model/model.safetensors"),
    dict(id="model_empty_folder", sub="ism", make=[remove("model"), mkdir("model")], args=ISM,
         exit=1, msg="config.json|model.safetensors", file="model"),
    dict(id="model_safetensors_is_folder", sub="inspect",
         make=[remove("model/model.safetensors"), mkdir("model/model.safetensors")], args=INSPECT,
         exit=1, msg="directory|folder", file="model/model.safetensors"),
    dict(id="model_config_is_folder", sub="score", make=[remove("model/config.json"), mkdir("model/config.json")],
         args=SCORE, exit=1, msg="directory|folder", file="model/config.json"),
    # --- config.json ---------------------------------------------------------------------------------------
    dict(id="config_bad_json", sub="embed", make=[write("model/config.json", '{"d_model": 16,')], args=EMBED,
         exit=1, msg="JSON", file="model/config.json"),
    dict(id="config_empty", sub="inspect", make=[write("model/config.json", "")], args=INSPECT,
         exit=1, msg="JSON|empty", file="model/config.json"),
    dict(id="config_not_object", sub="score", make=[write("model/config.json", "[16, 2]")], args=SCORE,
         exit=1, msg="object", file="model/config.json"),
    dict(id="config_binary", sub="embed", make=[write("model/config.json", b"\x89HDF\r\n\x1a\n\x00\x00\xff\xfe")],
         args=EMBED, exit=1, msg="JSON|UTF", file="model/config.json"),
    dict(id="config_d_model_string", sub="embed", make=[config(set={"d_model": "16"})], args=EMBED,
         exit=1, msg="d_model", file="model/config.json"),
    dict(id="config_n_layer_negative", sub="ism", make=[config(set={"n_layer": -2})], args=ISM,
         exit=1, msg="n_layer", file="model/config.json"),
    dict(id="config_d_model_zero", sub="inspect", make=[config(set={"d_model": 0})], args=INSPECT,
         exit=1, msg="d_model", file="model/config.json"),
    dict(id="config_missing_n_layer", sub="score", make=[config(delete=["n_layer"])], args=SCORE,
         exit=1, msg="n_layer", file="model/config.json"),
    dict(id="config_missing_d_model", sub="embed", make=[config(delete=["d_model"])], args=EMBED,
         exit=1, msg="d_model", file="model/config.json"),
    # ssm_cfg.d_state may be left out (Mamba's default, 16, applies); the weights (d_state 4) then disagree.
    dict(id="config_default_d_state_mismatch", sub="embed", make=[config(delete=["ssm_cfg.d_state"])], args=EMBED,
         exit=1, msg="shape", file="model/model.safetensors"),
    dict(id="config_ssm_cfg_null", sub="embed", make=[config(set={"ssm_cfg": None})], args=EMBED,
         exit=1, msg="ssm_cfg.*(object|null)", file="model/config.json"),
    dict(id="config_duplicate_key", sub="embed",
         make=[replace("model/config.json", '"d_model": 16,', '"d_model": 16,\n  "d_model": 32,')], args=EMBED,
         exit=1, msg="duplicate", file="model/config.json"),
    dict(id="config_unknown_model_type", sub="embed", make=[config(set={"model_type": "mamba"})], args=EMBED,
         exit=1, msg="model_type", file="model/config.json"),
    dict(id="config_d_model_mismatch", sub="embed", make=[config(set={"d_model": 32})], args=EMBED,
         exit=1, msg="shape|d_model", file=("model/model.safetensors", "model/config.json")),
    # Claims far beyond the weights must fail as fast as any other mismatch: work and memory are bounded by the
    # files' sizes, never by a number in config.json.
    dict(id="config_n_layer_huge", sub="embed", make=[config(set={"n_layer": 1000000000})], args=EMBED,
         exit=1, msg="n_layer|missing|layers", file=("model/config.json", "model/model.safetensors")),
    dict(id="config_vocab_size_huge", sub="embed", make=[config(set={"vocab_size": 1000000000})], args=EMBED,
         exit=1, msg="vocab_size|shape", file=("model/config.json", "model/model.safetensors"), timeout=15),
    dict(id="config_vocab_too_small", sub="inspect", make=[config(set={"vocab_size": 4})], args=INSPECT,
         exit=1, msg="vocab_size", file="model/config.json"),
    dict(id="config_norm_epsilon_negative", sub="score", make=[config(set={"norm_epsilon": -1e-5})], args=SCORE,
         exit=1, msg="norm_epsilon", file="model/config.json"),
    # --- model.safetensors ---------------------------------------------------------------------------------
    dict(id="st_truncated", sub="embed", make=[truncate("model/model.safetensors", -100)], args=EMBED,
         exit=1, msg="truncated|beyond|data_offsets|size", file="model/model.safetensors"),
    dict(id="st_empty", sub="inspect", make=[write("model/model.safetensors", b"")], args=INSPECT,
         exit=1, msg="too short|empty", file="model/model.safetensors"),
    dict(id="st_header_beyond_file", sub="score",
         make=[st_raw(lambda n, h, b: struct.pack("<Q", (n + len(b)) * 2) + h + b)], args=SCORE,
         exit=1, msg="header length", file="model/model.safetensors"),
    dict(id="st_header_length_huge", sub="ism", make=[st_raw(lambda n, h, b: struct.pack("<Q", 2**63) + h + b)],
         args=ISM, exit=1, msg="header length", file="model/model.safetensors"),
    dict(id="st_header_not_json", sub="embed",
         make=[st_raw(lambda n, h, b: struct.pack("<Q", n) + b"{" + b"\x00" * (n - 1) + b)], args=EMBED,
         exit=1, msg="JSON", file="model/model.safetensors"),
    dict(id="st_bad_dtype", sub="embed", make=[st_edit(lambda h, b: h[NORM_F].update(dtype="Q4"))], args=EMBED,
         exit=1, msg="dtype", file="model/model.safetensors"),
    dict(id="st_wrong_shape", sub="inspect", make=[st_edit(lambda h, b: h[NORM_F].update(shape=[2, 8]))],
         args=INSPECT, exit=1, msg="shape", file="model/model.safetensors"),
    dict(id="st_shape_offsets_disagree", sub="embed", make=[st_edit(lambda h, b: h[NORM_F].update(shape=[17]))],
         args=EMBED, exit=1, msg="data_offsets|shape", file="model/model.safetensors"),
    dict(id="st_overlapping_offsets", sub="score", make=[st_edit(_alias_offsets)], args=SCORE,
         exit=1, msg="overlap", file="model/model.safetensors"),
    dict(id="st_offsets_beyond_data", sub="embed", make=[st_edit(_beyond_end)], args=EMBED,
         exit=1, msg="data_offsets|beyond|outside|exceed", file="model/model.safetensors"),
    dict(id="st_missing_tensor", sub="ism", make=[st_edit(_drop(NORM_F))], args=ISM,
         exit=1, msg="norm_f.*missing", file="model/model.safetensors"),
    dict(id="st_metadata_not_string", sub="inspect",
         make=[st_edit(lambda h, b: h.update({"__metadata__": {"format": 7}}))], args=INSPECT,
         exit=1, msg="__metadata__", file="model/model.safetensors"),
    dict(id="st_duplicate_key", sub="embed",
         make=[st_raw(lambda n, h, b: (lambda t: struct.pack("<Q", len(t)) + t + b)(
             h.replace(b'{"', b'{"__metadata__": {"a": "1"}, "__metadata__": {"a": "2"}, "', 1)))],
         args=EMBED, exit=1, msg="duplicate", file="model/model.safetensors"),
    dict(id="st_header_not_object", sub="score",
         make=[st_raw(lambda n, h, b: struct.pack("<Q", 2) + b"[]" + b)], args=SCORE,
         exit=1, msg="header", file="model/model.safetensors"),
    dict(id="st_nan_weights", sub="embed", make=[st_edit(_nan_weights)], args=EMBED,
         exit=1, msg="nan|finite|inf", file="model/model.safetensors"),
    # --- FASTA (embed -i) ----------------------------------------------------------------------------------
    dict(id="fasta_empty", sub="embed", make=[write("e.fa", "")], args="embed -m model -i e.fa -o out.h5 --window 32",
         exit=1, msg="empty|no (sequence|record)", file="e.fa"),
    dict(id="fasta_no_header", sub="embed", make=[write("n.fa", "ACGTACGTACGTACGT\nACGTACGT\n")],
         args="embed -m model -i n.fa -o out.h5 --window 32", exit=1, msg="format|header|'>'", file="n.fa"),
    dict(id="fasta_binary_junk", sub="embed", make=[write("j.fa", bytes(range(256)) * 8)],
         args="embed -m model -i j.fa -o out.h5 --window 32", exit=1, msg="format|binary", file="j.fa"),
    dict(id="fasta_bad_index", sub="embed", make=[write("in.fa.fai", "r1\t120\t4\t60\t61\nr2\t9000\t999999\t60\t61\n")],
         args=EMBED + " -r r2:1-50", exit=1, msg="fai|index|r2", file=("in.fa.fai", "in.fa")),
    dict(id="fasta_index_garbage", sub="embed", make=[write("in.fa.fai", "this is not an index\n")],
         args=EMBED + " -r r1:1-50", exit=1, msg="fai|index", file=("in.fa.fai", "in.fa")),
    dict(id="fasta_junk_first_record", sub="embed", make=[write("x.fa", ">p1\nMKVLAAGIVXXW*\n")],
         args="embed -m model -i x.fa -o out.h5 --window 32", exit=1, msg="p1|" + NOT_DNA,
         file="x.fa"),
    dict(id="fasta_junk_later_record", sub="embed", make=[append("in.fa", ">p2\nMKVLAAGIVXXW*\n")], args=EMBED,
         exit=1, msg="p2|" + NOT_DNA, file="in.fa"),
    dict(id="fasta_gzip_truncated", sub="embed", make=[many_records("big.fa", n=300), gzip_file("big.fa", "t.fa.gz"),
                                                       truncate("t.fa.gz", 0.5)],
         args="embed -m model -i t.fa.gz -o out.h5 --window 32", exit=1, msg="truncated|corrupt", file="t.fa.gz"),
    dict(id="fasta_empty_record", sub="embed", make=[write("er.fa", ">r1\nACGTACGT\n>r2\n>r3\nACGTACGT\n")],
         args="embed -m model -i er.fa -o out.h5 --window 32", exit=1, msg="r2.*(no sequence|empty)", file="er.fa"),
    dict(id="fasta_empty_first_record", sub="embed", make=[write("ef.fa", ">r1\n>r2\nACGTACGT\n")],
         args="embed -m model -i ef.fa -o out.h5 --window 32", exit=1, msg="r1.*(no sequence|empty)", file="ef.fa"),
    dict(id="fasta_gzip_region", sub="embed", make=[gzip_file("in.fa", "g.fa.gz")],
         args="embed -m model -i g.fa.gz -r r1:1-50 -o out.h5 --window 32", exit=1, msg="bgzip|index", file="g.fa.gz"),
    dict(id="fasta_bgzip_region_no_gzi", sub="embed",
         make=[shell("bgzip -c in.fa > bz.fa.gz && samtools faidx bz.fa.gz && rm bz.fa.gz.gzi")],
         args="embed -m model -i bz.fa.gz -r r2:1-50 -o out.h5 --window 32", exit=1, msg="gzi", file="bz.fa.gz"),
    dict(id="stdin_empty", sub="embed", make=[write("nothing", "")],
         args="embed -m model -i - -o out.h5 --window 32", stdin="nothing", exit=1,
         msg="empty|no (sequence|record)"),
    dict(id="stdin_binary", sub="embed", make=[write("junk", bytes(range(256)) * 4)],
         args="embed -m model -i - -o out.h5 --window 32", stdin="junk", exit=1, msg="format|binary"),
    # --- FASTQ ---------------------------------------------------------------------------------------------
    dict(id="fastq_minus_not_plus", sub="embed", make=[replace("in.fq", "\n+\n", "\n-\n")],
         args="embed -m model -i in.fq -o out.h5 --window 32", exit=1, msg="\\+|separator", file="in.fq"),
    dict(id="fastq_no_plus_line", sub="embed",
         make=[write("np.fq", "@q0\nACGTACGTAC\nIIIIIIIIII\n@q1\nACGTA\n+\nIIIII\n")],
         args="embed -m model -i np.fq -o out.h5 --window 32", exit=1, msg="\\+|separator|quality", file="np.fq"),
    dict(id="fastq_cut_in_quality", sub="embed", make=[append("in.fq", "@q9\nACGTACGTAC\n+\nIIII")],
         args="embed -m model -i in.fq -o out.h5 --window 32", exit=1, msg="q9", file="in.fq"),
    dict(id="fastq_cut_short", sub="embed", make=[append("in.fq", "@q9\nACGTAC")],
         args="embed -m model -i in.fq -o out.h5 --window 32", exit=1, msg="q9|truncated|record 4", file="in.fq"),
    dict(id="fastq_quality_too_long", sub="embed", make=[write("ql.fq", "@q0\nACGTACGTAC\n+\nIIIIIIIIIIIIII\n")],
         args="embed -m model -i ql.fq -o out.h5 --window 32", exit=1, msg="quality.*(length|long)|length.*quality",
         file="ql.fq"),
    # --- BAM / CRAM ----------------------------------------------------------------------------------------
    dict(id="bam_truncated", sub="embed", make=[truncate("reads.bam", 0.6)],
         args="embed -m model -i reads.bam -o out.h5 --window 32", exit=1, msg="truncated|corrupt", file="reads.bam"),
    dict(id="bam_region_no_index", sub="embed", make=[remove("reads.bam.bai")],
         args="embed -m model -i reads.bam -r chr1:1-100 -o out.h5 --window 32", exit=1, msg="index",
         file="reads.bam"),
    dict(id="bam_region_unknown_contig", sub="embed", make=[],
         args="embed -m model -i reads.bam -r chr9:1-100 -o out.h5 --window 32", exit=1, msg="chr9",
         file="reads.bam"),
    dict(id="sam_bad_line", sub="embed",
         make=[write("bad.sam", "@SQ\tSN:chr1\tLN:400\nread0\tzero\tchr1\t1\t60\t4M\t*\t0\t0\tACGT\tIIII\n")],
         args="embed -m model -i bad.sam -o out.h5 --window 32", exit=1, msg="record 1|line 2|flag|corrupt",
         file="bad.sam"),
    dict(id="cram_without_reference", sub="embed", make=[],
         args="embed -m model -i reads.cram -o out.h5 --window 32", exit=1, msg="reference|-f", file="reads.cram"),
    dict(id="cram_wrong_reference", sub="embed",
         make=[write("other.fa", ">chr1\n" + "A" * 400 + "\n>chr2\n" + "C" * 200 + "\n"),
               shell("samtools faidx other.fa")],
         args="embed -m model -i reads.cram -f other.fa -o out.h5 --window 32", exit=1, msg="reference|md5|M5",
         file=("reads.cram", "other.fa")),
    # --- VCF / BCF (score -v) ------------------------------------------------------------------------------
    dict(id="vcf_no_header", sub="score", make=[write("h.vcf", "chr1\t50\t.\tA\tC\t.\t.\t.\n")],
         args="score -m model -v h.vcf -f ref.fa -o out.h5 --window 32", exit=1, msg="h.vcf|header", file="h.vcf"),
    dict(id="vcf_bad_pos", sub="score", make=[write("p.vcf", _vcf(["chr1\tfifty\t.\tA\tC\t.\t.\t."]))],
         args="score -m model -v p.vcf -f ref.fa -o out.h5 --window 32", exit=1, msg="pos", file="p.vcf"),
    dict(id="vcf_pos_zero", sub="score", make=[write("z.vcf", _vcf(["chr1\t0\t.\tA\tC\t.\t.\t."]))],
         args="score -m model -v z.vcf -f ref.fa -o out.h5 --window 32", exit=1, msg="pos", file="z.vcf"),
    dict(id="vcf_too_few_columns", sub="score", make=[write("c.vcf", _vcf(["chr1\t50\t.\tA"]))],
         args="score -m model -v c.vcf -f ref.fa -o out.vcf --window 32", exit=1, msg="c.vcf", file="c.vcf"),
    dict(id="vcf_ref_mismatch_error", sub="score",
         make=[replace("calls.vcf", "\t.\t", "\t.\tNN", 1)],
         args="score -m model -v calls.vcf -f ref.fa -o out.tsv --window 32 --ref-mismatch error", exit=1,
         msg="REF|mismatch", file="calls.vcf"),
    dict(id="vcf_gz_truncated", sub="score", make=[truncate("calls.vcf.gz", -20)],
         args="score -m model -v calls.vcf.gz -f ref.fa -o out.h5 --window 32", exit=1, msg="truncated|corrupt",
         file="calls.vcf.gz"),
    dict(id="bcf_truncated", sub="score", make=[truncate("calls.bcf", 0.7)],
         args="score -m model -v calls.bcf -f ref.fa -o out.vcf --window 32", exit=1, msg="truncated|corrupt",
         file="calls.bcf"),
    dict(id="vcf_empty_alt", sub="score", make=[write("a.vcf", _vcf(["chr1\t50\t.\tA\t\t.\t.\t."]))],
         args="score -m model -v a.vcf -f ref.fa -o out.vcf --window 32", exit=1, msg="ALT", file="a.vcf"),
    dict(id="score_reference_missing", sub="score", make=[],
         args="score -m model -v calls.vcf -f noref.fa -o out.h5 --window 32", exit=1,
         msg="no such|not found|cannot open",
         file="noref.fa"),
    dict(id="score_reference_not_fasta", sub="score", make=[write("bin.fa", bytes(range(256)) * 4)],
         args="score -m model -v calls.vcf -f bin.fa -o out.h5 --window 32", exit=1, msg="FASTA|format", file="bin.fa"),
    dict(id="vcf_stdin_bad_record", sub="score", make=[write("p.vcf", _vcf(["chr1\t12x\t.\tA\tC\t.\t.\t."]))],
         args="score -m model -v - -f ref.fa -o out.tsv --window 32", stdin="p.vcf", exit=1, msg="POS"),
    # --- BED (embed -R) ------------------------------------------------------------------------------------
    dict(id="bed_two_columns", sub="embed", make=[write("b.bed", "r1\t10\n")],
         args=EMBED + " -R b.bed", exit=1, msg="column", file="b.bed"),
    dict(id="bed_start_after_end", sub="embed", make=[write("b.bed", "r1\t50\t10\n")],
         args=EMBED + " -R b.bed", exit=1, msg="end before start|start.*end", file="b.bed"),
    dict(id="bed_start_not_integer", sub="embed", make=[write("b.bed", "r1\tten\t50\n")],
         args=EMBED + " -R b.bed", exit=1, msg="integer|number", file="b.bed"),
    dict(id="bed_negative_start", sub="embed", make=[write("b.bed", "r1\t-5\t50\n")],
         args=EMBED + " -R b.bed", exit=1, msg="negative", file="b.bed"),
    dict(id="bed_unknown_contig", sub="embed", make=[write("b.bed", "chrZ\t0\t50\n")],
         args=EMBED + " -R b.bed", exit=1, msg="chrZ", file=("in.fa", "b.bed")),
    dict(id="bed_beyond_end", sub="embed", make=[write("b.bed", "r2\t50\t500\n")],
         args=EMBED + " -R b.bed", exit=1, msg="beyond|end", file=("in.fa", "b.bed")),
    dict(id="bed_missing_file", sub="embed", make=[], args=EMBED + " -R nothere.bed",
         exit=1, msg="no such|not found|cannot open", file="nothere.bed"),
    # --- regions (-r) --------------------------------------------------------------------------------------
    dict(id="region_bad_syntax", sub="embed", make=[], args=EMBED + " -r r1:abc-50",
         exit=2, msg="r1:abc-50|not a number"),
    dict(id="region_end_before_start", sub="embed", make=[], args=EMBED + " -r r1:50-10",
         exit=2, msg="end before start"),
    dict(id="region_position_overflow", sub="embed", make=[],
         args=EMBED + " -r r1:18446744073709551617-18446744073709551619", exit=2,
         msg="range|too large|18446744073709551617"),
    dict(id="region_unknown_contig", sub="embed", make=[], args=EMBED + " -r chrQ:1-10",
         exit=1, msg="chrQ", file="in.fa"),
    dict(id="region_beyond_end", sub="embed", make=[], args=EMBED + " -r r2:100-200",
         exit=1, msg="beyond", file="in.fa"),
    dict(id="ism_region_bad_syntax", sub="ism", make=[],
         args="ism -m model -f ref.fa -r chr1:1-x -o out.h5 --window 32", exit=2, msg="chr1:1-x|not a number"),
    dict(id="ism_region_unknown_contig", sub="ism", make=[],
         args="ism -m model -f ref.fa -r chrQ:1-10 -o out.h5 --window 32", exit=1, msg="chrQ", file="ref.fa"),
    dict(id="ism_region_beyond_end", sub="ism", make=[],
         args="ism -m model -f ref.fa -r chr2:190-260 -o out.h5 --window 32", exit=1, msg="beyond", file="ref.fa"),
    dict(id="score_region_unknown_contig", sub="score", make=[],
         args="score -m model -v calls.vcf.gz -f ref.fa -r chrQ:1-10 -o out.h5 --window 32", exit=1, msg="chrQ",
         file=("calls.vcf.gz", "ref.fa")),
    # --- flags ---------------------------------------------------------------------------------------------
    dict(id="flag_window_zero", sub="embed", make=[], args="embed -m model -i in.fa -o out.h5 --window 0",
         exit=2, msg="window"),
    dict(id="flag_window_text", sub="score", make=[], args=SCORE.replace("--window 32", "--window big"),
         exit=2, msg="window"),
    dict(id="flag_stride_negative", sub="embed", make=[], args=EMBED + " --stride -4", exit=2, msg="stride"),
    dict(id="flag_batch_zero", sub="ism", make=[], args=ISM + " --batch 0", exit=2, msg="batch"),
    dict(id="flag_strand_rev", sub="embed", make=[], args=EMBED + " --strand rev", exit=2, msg="strand"),
    dict(id="flag_dtype_f64", sub="embed", make=[], args=EMBED + " --dtype f64 --per-position", exit=2,
         msg="dtype"),
    dict(id="flag_shard_out_of_range", sub="embed", make=[], args=EMBED + " --shard 4/4", exit=2, msg="shard"),
    dict(id="flag_shard_text", sub="score", make=[], args=SCORE + " --shard one/two", exit=2, msg="shard"),
    dict(id="flag_threads_negative", sub="embed", make=[], args=EMBED + " -@ -1", exit=2, msg="threads|-@"),
    dict(id="flag_threads_huge", sub="embed", make=[], args=EMBED + " -@ 100000", exit=2, msg="threads|-@"),
    dict(id="flag_min_mapq_300", sub="embed", make=[], args=EMBED.replace("in.fa", "reads.bam") + " --min-mapq 300",
         exit=2, msg="mapq"),
    # Options that would do nothing are refused, not ignored (issue 11, defect 10).
    dict(id="flag_min_mapq_with_fasta", sub="embed", make=[], args=EMBED + " --min-mapq 20", exit=1,
         msg="--min-mapq.*FASTA", file="in.fa"),
    dict(id="flag_exclude_flags_with_fastq", sub="embed", make=[], args=EMBED.replace("in.fa", "in.fq") + " -F 4",
         exit=1, msg="-F.*FASTA", file="in.fq"),
    dict(id="flag_reference_with_fasta", sub="embed", make=[], args=EMBED + " -f ref.fa", exit=1,
         msg="-f.*CRAM", file="in.fa"),
    dict(id="flag_dtype_f16_pooled_only", sub="embed", make=[], args=EMBED + " --dtype f16", exit=2,
         msg="--dtype f16.*--per-position"),
    dict(id="flag_embed_to_stdout", sub="embed", make=[], args="embed -m model -i in.fa -o - --window 32", exit=2,
         msg="HDF5", out=("-",)),
    dict(id="flag_exclude_flags_name", sub="embed", make=[], args=EMBED + " -F NOTAFLAG", exit=2,
         msg="NOTAFLAG|exclude"),
    dict(id="flag_progress_value", sub="ism", make=[], args=ISM + " --progress sometimes", exit=2,
         msg="progress"),
    dict(id="flag_unknown_option", sub="embed", make=[], args=EMBED + " --frobnicate", exit=2,
         msg="frobnicate"),
    dict(id="flag_missing_input", sub="embed", make=[], args="embed -m model -o out.h5", exit=2,
         msg="--input|-i"),
    dict(id="flag_unknown_subcommand", sub="-", make=[], args="frobnicate -m model", exit=2,
         msg="frobnicate"),
    dict(id="flag_pool_none_nothing", sub="embed", make=[], args=EMBED + " --pool none", exit=2, msg="pool"),
    dict(id="flag_scores_unknown", sub="score", make=[], args=SCORE + " --scores foo", exit=2, msg="scores|foo"),
    dict(id="flag_output_type_with_h5", sub="score", make=[], args=SCORE + " -O z", exit=2, msg="-O"),
    dict(id="flag_tile_zero", sub="score", make=[], args=SCORE + " --tile 0", exit=2, msg="tile"),
    dict(id="flag_max_memory_text", sub="embed", make=[], args=EMBED + " --max-memory lots", exit=2,
         msg="--max-memory 'lots'"),
    dict(id="flag_max_memory_zero", sub="ism", make=[], args=ISM + " --max-memory 0G", exit=2, msg="--max-memory"),
    dict(id="memory_plan_refuses_embed", sub="embed", make=[], args=EMBED + " --max-memory 1K", exit=1,
         msg="memory plan.*--max-memory"),
    dict(id="memory_plan_refuses_score", sub="score", make=[], args=SCORE + " --max-memory 2K", exit=1,
         msg="memory plan.*--window"),
    dict(id="flag_score_window_zero", sub="score", make=[], args=SCORE.replace("--window 32", "--window 0"),
         exit=2, msg="window"),
    dict(id="flag_ism_strand", sub="ism", make=[], args=ISM + " --strand minus", exit=2, msg="strand"),
    dict(id="flag_merge_no_shards", sub="merge", make=[], args="merge -o out.h5", exit=2, msg="shards"),
    dict(id="flag_inspect_no_model", sub="inspect", make=[], args="inspect", exit=2, msg="--model|-m"),
    dict(id="flag_embed_no_output", sub="embed", make=[], args="embed -m model -i in.fa --window 32", exit=2,
         msg="--output|-o"),
    dict(id="flag_ref_mismatch_value", sub="score", make=[], args=SCORE + " --ref-mismatch maybe", exit=2,
         msg="ref-mismatch"),
    dict(id="flag_save_embeddings_vcf", sub="score", make=[],
         args=SCORE.replace("out.h5", "out.vcf") + " --save-embeddings", exit=2, msg="save-embeddings"),
    dict(id="flag_shard_with_vcf_output", sub="score", make=[],
         args=SCORE.replace("out.h5", "out.vcf") + " --shard 0/2",
         exit=2, msg="shard"),
    dict(id="flag_stdin_with_region", sub="embed", make=[],
         args="embed -m model -i - -r r1:1-50 -o out.h5 --window 32", stdin="in.fa", exit=2, msg="-r|region"),
    dict(id="flag_layer_beyond_n_layer", sub="embed", make=[], args=EMBED + " --layer 9", exit=1, msg="layer",
         file="model"),
    # --- output paths --------------------------------------------------------------------------------------
    dict(id="out_folder_missing", sub="embed", make=[], args="embed -m model -i in.fa -o nodir/out.h5 --window 32",
         exit=1, msg="does not exist", file="nodir/out.h5"),
    dict(id="out_folder_read_only", sub="score", make=[read_only_folder("ro")],
         args="score -m model -v calls.vcf -f ref.fa -o ro/out.vcf --window 32", exit=1, msg="writable|read-only",
         file="ro/out.vcf"),
    dict(id="out_parent_is_file", sub="embed", make=[], args="embed -m model -i in.fa -o in.fa/out.h5 --window 32",
         exit=1, msg="not a (folder|directory)|is a (regular )?file", file="in.fa/out.h5"),
    dict(id="out_partial_folder_is_file", sub="embed", make=[write("out.h5.partial.d", "in the way\n")], args=EMBED,
         exit=(1, 3), msg="partial.d", file="out.h5.partial.d"),
    dict(id="out_is_folder", sub="ism", make=[mkdir("outdir")],
         args="ism -m model -f ref.fa -r chr1:101-104 -o outdir --window 32", exit=1, msg="directory|folder",
         file="outdir"),
    dict(id="out_equals_input", sub="embed", make=[], args="embed -m model -i in.fa -o in.fa --window 32",
         exit=1, msg=SAME_FILE, file="in.fa"),
    dict(id="out_equals_variants", sub="score", make=[],
         args="score -m model -v calls.vcf -f ref.fa -o calls.vcf --window 32", exit=1, msg=SAME_FILE,
         file="calls.vcf"),
    dict(id="out_equals_reference", sub="ism", make=[],
         args="ism -m model -f ref.fa -r chr1:1-5 -o ref.fa --window 32", exit=1, msg=SAME_FILE, file="ref.fa"),
    dict(id="out_equals_weights", sub="embed", make=[],
         args="embed -m model -i in.fa -o model/model.safetensors --window 32", exit=1, msg=SAME_FILE,
         file="model/model.safetensors"),
    dict(id="out_equals_bed", sub="embed", make=[write("r.bed", "r1\t0\t50\n")],
         args="embed -m model -i in.fa -R r.bed -o r.bed --window 32", exit=1, msg=SAME_FILE, file="r.bed"),
    dict(id="out_equals_fasta_index", sub="ism", make=[],
         args="ism -m model -f ref.fa -r chr1:101-104 -o ref.fa.fai --window 32", exit=1, msg=SAME_FILE,
         file="ref.fa.fai"),
    dict(id="out_equals_config", sub="score", make=[],
         args="score -m model -v calls.vcf -f ref.fa -o model/config.json -O v --window 32", exit=1,
         msg=SAME_FILE, file="model/config.json"),
    dict(id="out_equals_vcf_index", sub="score", make=[],
         args="score -m model -v calls.vcf.gz -f ref.fa -o calls.vcf.gz.tbi -O z --window 32", exit=1,
         msg=SAME_FILE, file="calls.vcf.gz.tbi"),
    dict(id="out_partial_equals_input", sub="embed", make=[copy("in.fa", "x.h5.partial")],
         args="embed -m model -i x.h5.partial -o x.h5 --window 32", exit=1, msg=SAME_FILE, file="x.h5"),
    dict(id="out_existing_kept_on_failure", sub="embed", make=[write("out.h5", "an older result\n"),
                                                               remove("model/config.json")],
         args=EMBED, exit=1, msg="config.json", file="model/config.json"),
    dict(id="disk_full_embed", sub="embed", make=[mount_tmpfs("small", "size=64k"), many_records("big.fa", n=400)],
         args="embed -m model -i big.fa -o small/x.h5 --window 32 --per-position", exit=(3, 1),
         msg="no space", file="small/x.h5"),
    dict(id="disk_full_score_vcf", sub="score", make=[mount_tmpfs("small", "size=64k"), many_variants("m.vcf", 2000)],
         args="score -m model -v m.vcf -f ref.fa -o small/x.vcf --window 32", exit=(3, 1),
         msg="no space", file="small/x.vcf"),
    # --- merge ---------------------------------------------------------------------------------------------
    dict(id="merge_different_jobs", sub="merge",
         make=[genomamba(EMBED.replace("out.h5", "p0.h5") + " --shard 0/2"),
               genomamba(EMBED.replace("out.h5", "p1.h5") + " --shard 1/2 --stride 16")],
         args="merge -o out.h5 p0.h5 p1.h5", exit=1, msg="different|job|differ", file=("p0.h5", "p1.h5")),
    dict(id="merge_missing_shard", sub="merge", make=[genomamba(EMBED.replace("out.h5", "p0.h5") + " --shard 0/3"),
                                                      genomamba(EMBED.replace("out.h5", "p2.h5") + " --shard 2/3")],
         args="merge -o out.h5 p0.h5 p2.h5", exit=1, msg="missing|1/3|shard", file=None),
    dict(id="merge_duplicated_shard", sub="merge", make=[genomamba(EMBED.replace("out.h5", "p0.h5") + " --shard 0/2"),
                                                         copy("p0.h5", "p0b.h5")],
         args="merge -o out.h5 p0.h5 p0b.h5", exit=1, msg="twice|duplicate|same shard|0/2", file=("p0.h5", "p0b.h5")),
    dict(id="merge_incomplete_shard", sub="merge",
         make=[genomamba(SCORE.replace("out.h5", "p0.h5") + " --shard 0/2"),
               genomamba(SCORE.replace("out.h5", "p1.h5") + " --shard 1/2"), h5_attr("p1.h5", "complete", 0)],
         args="merge -o out.vcf p0.h5 p1.h5", exit=1, msg="complete|unfinished|incomplete", file="p1.h5"),
    dict(id="merge_truncated_shard", sub="merge",
         make=[genomamba(ISM.replace("out.h5", "p0.h5") + " --shard 0/2"),
               genomamba(ISM.replace("out.h5", "p1.h5") + " --shard 1/2"), truncate("p1.h5", 0.5)],
         args="merge -o out.h5 p0.h5 p1.h5", exit=1, msg="HDF5|truncated|corrupt", file="p1.h5"),
    dict(id="merge_not_hdf5", sub="merge", make=[genomamba(EMBED.replace("out.h5", "p0.h5") + " --shard 0/2")],
         args="merge -o out.h5 p0.h5 in.fa", exit=1, msg="HDF5|format", file="in.fa"),
    dict(id="merge_shard_file_missing", sub="merge",
         make=[genomamba(EMBED.replace("out.h5", "p0.h5") + " --shard 0/2")],
         args="merge -o out.h5 p0.h5 p1.h5", exit=1, msg="no such|not found|cannot open", file="p1.h5"),
    dict(id="merge_mixed_kinds", sub="merge", make=[genomamba(EMBED.replace("out.h5", "p0.h5") + " --shard 0/2"),
                                                    genomamba(ISM.replace("out.h5", "p1.h5") + " --shard 1/2")],
         args="merge -o out.h5 p0.h5 p1.h5", exit=1, msg="format|different|job", file=("p0.h5", "p1.h5")),
    dict(id="merge_output_is_shard", sub="merge", make=[genomamba(EMBED.replace("out.h5", "p0.h5") + " --shard 0/2"),
                                                        genomamba(EMBED.replace("out.h5", "p1.h5") + " --shard 1/2")],
         args="merge -o p0.h5 p0.h5 p1.h5", exit=1, msg="same|input|also one of", file="p0.h5"),
    dict(id="merge_ism_to_vcf", sub="merge", make=[genomamba(ISM.replace("out.h5", "p0.h5") + " --shard 0/2"),
                                                   genomamba(ISM.replace("out.h5", "p1.h5") + " --shard 1/2")],
         args="merge -o out.vcf p0.h5 p1.h5", exit=1, msg="h5", file="out.vcf"),
    # --- resume --------------------------------------------------------------------------------------------
    dict(id="resume_other_job_complete", sub="embed", make=[genomamba(EMBED)],
         args=EMBED.replace("--window 32", "--window 48") + " --resume", exit=1, msg="different job|differs",
         file="out.h5"),
    dict(id="resume_other_job_interrupted", sub="embed",
         make=INTERRUPTED,
         args="embed -m model -i big.fa -o out.h5 --window 64 --batch 1 --resume", exit=1,
         msg="different job|differs", file="out.h5"),
    dict(id="resume_score_other_job", sub="score", make=[genomamba(SCORE)],
         args=SCORE + " --scores llr --resume", exit=1, msg="different job|differs", file="out.h5"),
    dict(id="resume_ism_other_region", sub="ism", make=[genomamba(ISM)],
         args=ISM.replace("chr1:101-104", "chr1:105-108") + " --resume", exit=1, msg="different job|differs",
         file="out.h5"),
    dict(id="resume_corrupt_batch", sub="embed",
         make=INTERRUPTED + [truncate("out.h5.partial.d/batch_000000.h5", 0.5)],
         args="embed -m model -i big.fa -o out.h5 --window 32 --batch 1 --resume", exit=1,
         msg="incomplete|corrupt|truncated|batch", file="out.h5.partial.d"),
    dict(id="resume_garbage_manifest", sub="embed",
         make=INTERRUPTED + [write("out.h5.partial.d/job.json", "{ not json")],
         args="embed -m model -i big.fa -o out.h5 --window 32 --batch 1 --resume", exit=1,
         msg="job.json|manifest|JSON", file="out.h5.partial.d"),
    dict(id="resume_to_stdout", sub="score", make=[],
         args="score -m model -v calls.vcf -f ref.fa -o - --window 32 --resume",
         exit=2, msg="resume"),
    dict(id="leftover_batch_folder_without_resume", sub="embed",
         make=INTERRUPTED,
         args="embed -m model -i big.fa -o out.h5 --window 32 --batch 1", exit=1, msg="--resume",
         file="out.h5"),
]

# Controls: the undamaged command lines must succeed (exit 0, a complete output), so that each case above
# fails because of its damage and not because of the fixture. Same fields; `exit` is 0 and `msg` unused.
CONTROLS = [
    dict(id="control_embed_fasta", sub="embed", make=[], args=EMBED, exit=0, msg=""),
    dict(id="control_embed_regions", sub="embed", make=[write("ok.bed", "r1\t0\t100\nr2\t10\t60\n")],
         args=EMBED + " -R ok.bed -r r1:61-120", exit=0, msg=""),
    dict(id="control_embed_fastq", sub="embed", make=[], args=EMBED.replace("in.fa", "in.fq"), exit=0, msg=""),
    dict(id="control_embed_bam", sub="embed", make=[], args=EMBED.replace("in.fa", "reads.bam") + " -r chr1:1-200",
         exit=0, msg=""),
    dict(id="control_embed_cram", sub="embed", make=[], args=EMBED.replace("in.fa", "reads.cram") + " -f ref.fa",
         exit=0, msg=""),
    dict(id="control_score_h5", sub="score", make=[], args=SCORE, exit=0, msg=""),
    dict(id="control_score_vcf_gz_region", sub="score", make=[],
         args="score -m model -v calls.vcf.gz -f ref.fa -r chr1:1-300 -o out.vcf --window 32", exit=0, msg=""),
    dict(id="control_score_unsorted_with_region", sub="score",
         make=[write("u.vcf", _vcf([_snv("chr1", 250), _snv("chr1", 50), _snv("chr1", 120)]))],
         args="score -m model -v u.vcf -f ref.fa -r chr1:1-300 -o out.h5 --window 32", exit=0, msg="",
         check=_statuses("out.h5", [0, 0, 0])),
    # docs/scores.md: a variant outside the reference (past a contig's end, or on a contig the FASTA lacks) is
    # a row with status 3, not an error.
    dict(id="control_score_ref_beyond_contig", sub="score",
         make=[write("l.vcf", _vcf(["chr2\t198\t.\t" + CHR2[197:] + "GATT\tG\t.\t.\t.", _snv("chr2", 30)]))],
         args="score -m model -v l.vcf -f ref.fa -o out.h5 --window 32", exit=0, msg="",
         check=_statuses("out.h5", [3, 0])),
    dict(id="control_score_contig_not_in_fasta", sub="score",
         make=[write("k.vcf", _vcf([_snv("chr1", 50), "chr7\t50\t.\tA\tC\t.\t.\t."]).replace(
             "##contig=<ID=chr2,length=200>", "##contig=<ID=chr2,length=200>\n##contig=<ID=chr7,length=900>"))],
         args="score -m model -v k.vcf -f ref.fa -o out.h5 --window 32 --ref-mismatch error", exit=0, msg="",
         check=_statuses("out.h5", [0, 3])),
    dict(id="control_score_bcf", sub="score", make=[],
         args="score -m model -v calls.bcf -f ref.fa -o out.tsv --window 32", exit=0, msg=""),
    dict(id="control_ism", sub="ism", make=[], args=ISM, exit=0, msg=""),
    # Older callers write no ##contig lines (htslib's test-vcf-hdr-in.vcf): the reference's contigs are used.
    dict(id="control_score_vcf_without_contigs", sub="score",
         make=[write("nc.vcf", _vcf([_snv("chr1", 50), _snv("chr2", 30)], contigs=False))],
         args="score -m model -v nc.vcf -f ref.fa -o out.bcf --window 32", exit=0, msg=""),
    # Mates share a name in an interleaved paired-end FASTQ (htslib's fastq/interleaved_casava.fq).
    dict(id="control_embed_interleaved_fastq", sub="embed",
         make=[write("pairs.fq", "".join(f"@p{i // 2} {i % 2 + 1}:N:0:ATCACG\n{CHR1[10 * i:10 * i + 30]}\n+\n"
                                         + "I" * 30 + "\n" for i in range(4)))],
         args=EMBED.replace("in.fa", "pairs.fq"), exit=0, msg=""),
    # Two regions with one start but different ends are two regions, not a duplicate.
    dict(id="control_embed_regions_same_start", sub="embed", make=[],
         args=EMBED + " -r r1:1-50 -r r1:1-100", exit=0, msg=""),
    dict(id="control_inspect", sub="inspect", make=[], args=INSPECT, exit=0, msg=""),
    dict(id="control_merge", sub="merge", make=[genomamba(EMBED.replace("out.h5", "p0.h5") + " --shard 0/2"),
                                                genomamba(EMBED.replace("out.h5", "p1.h5") + " --shard 1/2")],
         args="merge -o out.h5 p0.h5 p1.h5", exit=0, msg=""),
]
