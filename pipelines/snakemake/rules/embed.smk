# (a) Genome embedding: N shard jobs (`genomamba embed --shard i/N --resume`), then one merge.
# A killed shard job rerun by Snakemake continues from its committed batches (OUT.partial.d/).


rule embed_shard:
    input:
        seq=lambda wc: section("embed")["inputs"][wc.name],
    output:
        maybe_temp(f"{OUTDIR}/embed/shards/{{name}}.{{shard}}-of-{{n}}.h5"),
    log:
        f"{OUTDIR}/logs/embed/{{name}}.{{shard}}-of-{{n}}.log",
    params:
        genomamba=GENOMAMBA,
        flags=lambda wc: model_flags("embed"),
        extra=setting("embed", "extra", ""),
    threads: job_threads("embed")
    resources:
        **model_resources(
            "embed", setting("embed", "window", required=True), setting("embed", "batch", required=True)
        ),
    shell:
        "{params.genomamba:q} embed {params.flags} -i {input.seq:q} -o {output:q}"
        " --shard {wildcards.shard}/{wildcards.n} --resume -@ {threads} {params.extra} 2> {log:q}"


rule embed_merge:
    input:
        lambda wc: shard_paths("embed", wc.name),
    output:
        f"{OUTDIR}/embed/{{name}}.h5",
    log:
        f"{OUTDIR}/logs/embed/{{name}}.merge.log",
    params:
        genomamba=GENOMAMBA,
    threads: 1
    resources:
        **merge_resources(),
    shell:
        "{params.genomamba:q} merge -o {output:q} {input:q} 2> {log:q}"
