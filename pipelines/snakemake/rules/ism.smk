# (c) In-silico saturation mutagenesis of a region: every base's SNV scores (/ism/scores, one column per
# A, C, G, T), split over N shard jobs by position and merged.


rule ism_shard:
    input:
        ref=setting("ism", "reference", required=True),
        fai=f"{setting('ism', 'reference')}.fai",
    output:
        maybe_temp(f"{OUTDIR}/ism/shards/{{name}}.{{shard}}-of-{{n}}.h5"),
    log:
        f"{OUTDIR}/logs/ism/{{name}}.{{shard}}-of-{{n}}.log",
    params:
        genomamba=GENOMAMBA,
        flags=lambda wc: model_flags("ism"),
        region=lambda wc: section("ism")["regions"][wc.name],
        extra=setting("ism", "extra", ""),
    threads: job_threads("ism")
    resources:
        **model_resources("ism", setting("ism", "window", required=True), 1),
    shell:
        "{params.genomamba:q} ism {params.flags} -f {input.ref:q} -r {params.region:q} -o {output:q}"
        " --shard {wildcards.shard}/{wildcards.n} --resume -@ {threads} {params.extra} 2> {log:q}"


rule ism_merge:
    input:
        lambda wc: shard_paths("ism", wc.name),
    output:
        f"{OUTDIR}/ism/{{name}}.h5",
    log:
        f"{OUTDIR}/logs/ism/{{name}}.merge.log",
    params:
        genomamba=GENOMAMBA,
    threads: 1
    resources:
        **merge_resources(),
    shell:
        "{params.genomamba:q} merge -o {output:q} {input:q} 2> {log:q}"
