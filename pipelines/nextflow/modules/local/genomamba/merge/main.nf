// genomamba merge: the N shard files of one embed, score or ism job (--shard 0/N .. N-1/N) into the file an
// unsharded run writes. The type follows ext.suffix: h5 (the default) for any job; score shards may also
// become vcf, vcf.gz, bcf or tsv. genomamba writes no index: index a vcf.gz with TABIX (modules/local/tabix).
process GENOMAMBA_MERGE {
    tag "$meta.id"
    // Merging copies datasets on one thread (merge has no -@): a single-CPU task is enough.
    label 'process_single'

    // No `conda` or `container` line on purpose: genomamba has no Bioconda recipe and no published image.
    // The task runs the `genomamba` found on PATH (see pipelines/nextflow/README.md).

    input:
    tuple val(meta), path(shards)   // every shard 0..N-1 of one job, in any order, with distinct names

    output:
    tuple val(meta), path("${prefix}.${suffix}"), emit: merged
    tuple val("${task.process}"), val('genomamba'), eval("genomamba --version | cut -d ' ' -f 2"), topic: versions, emit: versions_genomamba

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    prefix = task.ext.prefix ?: "${meta.id}"
    suffix = task.ext.suffix ?: 'h5'
    """
    genomamba merge \\
        $args \\
        -o ${prefix}.${suffix} \\
        $shards
    """

    stub:
    def args = task.ext.args ?: ''
    prefix = task.ext.prefix ?: "${meta.id}"
    suffix = task.ext.suffix ?: 'h5'
    """
    echo "$args"
    touch ${prefix}.${suffix}
    """
}
