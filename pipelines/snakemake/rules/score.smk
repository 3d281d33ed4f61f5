# (b) VCF scoring: N shard jobs (`genomamba score --shard i/N --resume -o shard.h5`), then one job that
# merges the shards into a bgzipped VCF (the input records plus INFO GM_*) and indexes it with tabix
# (genomamba merge writes no index).


rule score_shard:
    input:
        vcf=lambda wc: section("score")["vcfs"][wc.name],
        ref=setting("score", "reference", required=True),
        fai=f"{setting('score', 'reference')}.fai",
    output:
        maybe_temp(f"{OUTDIR}/score/shards/{{name}}.{{shard}}-of-{{n}}.h5"),
    log:
        f"{OUTDIR}/logs/score/{{name}}.{{shard}}-of-{{n}}.log",
    params:
        genomamba=GENOMAMBA,
        flags=lambda wc: model_flags("score"),
        extra=setting("score", "extra", ""),
    threads: job_threads("score")
    resources:
        **model_resources("score", setting("score", "window", required=True), 1),
    shell:
        "{params.genomamba:q} score {params.flags} -v {input.vcf:q} -f {input.ref:q} -o {output:q}"
        " --shard {wildcards.shard}/{wildcards.n} --resume -@ {threads} {params.extra} 2> {log:q}"


rule score_merge:
    input:
        lambda wc: shard_paths("score", wc.name),
    output:
        vcf=f"{OUTDIR}/score/{{name}}.vcf.gz",
        tbi=f"{OUTDIR}/score/{{name}}.vcf.gz.tbi",
    log:
        f"{OUTDIR}/logs/score/{{name}}.merge.log",
    params:
        genomamba=GENOMAMBA,
        tabix=TABIX,
    threads: 1
    resources:
        **merge_resources(),
    shell:
        "({params.genomamba:q} merge -o {output.vcf:q} {input:q}"
        " && {params.tabix:q} -f -p vcf {output.vcf:q}) 2> {log:q}"
