// genomamba ism: in-silico saturation mutagenesis of one reference region (/ism/scores, one column per
// A, C, G and T for every position). Sharded by position with ext.args "--shard i/N", then GENOMAMBA_MERGE.
process GENOMAMBA_ISM {
    tag "$meta.id"
    label 'process_medium'
    label 'process_gpu'

    // No `conda` or `container` line on purpose: genomamba has no Bioconda recipe and no published image.
    // The task runs the `genomamba` found on PATH (see pipelines/nextflow/README.md).

    input:
    tuple val(meta), path(fasta), path(fasta_index), val(region)   // region: chr:beg-end, 1-based inclusive
    tuple val(meta2), path(model)                                  // Caduceus checkpoint folder

    output:
    tuple val(meta), path("${prefix}.h5"), emit: ism
    tuple val("${task.process}"), val('genomamba'), eval("genomamba --version | cut -d ' ' -f 2"), topic: versions, emit: versions_genomamba

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    prefix = task.ext.prefix ?: "${meta.id}"
    def device = task.accelerator ? '--device cuda' : ''
    def max_memory = (!task.accelerator && task.memory) ? "--max-memory ${task.memory.toMega()}M" : ''
    """
    genomamba ism \\
        $args \\
        -@ $task.cpus \\
        $device \\
        $max_memory \\
        -m $model \\
        -f $fasta \\
        -r '$region' \\
        -o ${prefix}.h5
    """

    stub:
    def args = task.ext.args ?: ''
    prefix = task.ext.prefix ?: "${meta.id}"
    """
    echo "$args"
    touch ${prefix}.h5
    """
}
