"""Snakemake wrapper for `genomamba score`: scores the variants of a VCF/BCF with a Caduceus DNA language
model against an indexed reference FASTA. The output type follows the suffix of output.scores (.h5, .vcf,
.vcf.gz, .bcf or .tsv); a named output `index` (.tbi or .csi) also indexes a .vcf.gz or .bcf output."""

__author__ = "genomamba"

import shlex

from snakemake.shell import shell

extra = snakemake.params.get("extra", "")
log = snakemake.log_fmt_shell(stdout=False, stderr=True)
log_append = snakemake.log_fmt_shell(stdout=False, stderr=True, append=True)

# The wrapper sets these from input, output and threads; a second copy in extra would be ambiguous.
owned = {"-m", "--model", "-v", "--variants", "-f", "--reference", "-o", "--output", "-@", "--threads"}
for token in shlex.split(extra):
    if token.split("=", 1)[0] in owned:
        raise ValueError(
            f"genomamba score wrapper: {token} belongs in input/output/threads, not in params.extra"
        )

shell(
    "genomamba score"
    " -m {snakemake.input.model:q}"
    " -v {snakemake.input.vcf:q}"
    " -f {snakemake.input.ref:q}"
    " -o {snakemake.output.scores:q}"
    " -@ {snakemake.threads}"
    " --progress never"
    " {extra}"
    " {log}"
)

index = snakemake.output.get("index", "")
if index:
    index_type = "--tbi" if str(index).endswith(".tbi") else "--csi"
    shell(
        "bcftools index --force {index_type} -o {index:q} {snakemake.output.scores:q} {log_append}"
    )
