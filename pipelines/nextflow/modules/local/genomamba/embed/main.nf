// genomamba embed: one HDF5 file of window (and optionally per-base) embeddings for a sequence file.
// Sharding is left to the caller: ext.args = { "--shard ${meta.shard}/${meta.shards}" }, then GENOMAMBA_MERGE.
process GENOMAMBA_EMBED {
    tag "$meta.id"
    label 'process_medium'
    label 'process_gpu'

    // No `conda` or `container` line on purpose: genomamba has no Bioconda recipe and no published image,
    // so there is nothing true to point at. The task runs the `genomamba` found on PATH; to use your own
    // image, set `withName: 'GENOMAMBA_.*' { container = '...' }` in a config (pipelines/nextflow/README.md).

    input:
    tuple val(meta), path(input), path(index)   // index: [] or the .fai/.gzi/.bai/.crai of -r/-R runs
    tuple val(meta2), path(model)               // Caduceus checkpoint folder (config.json + model.safetensors)

    output:
    tuple val(meta), path("${prefix}.h5"), emit: embeddings
    tuple val("${task.process}"), val('genomamba'), eval("genomamba --version | cut -d ' ' -f 2"), topic: versions, emit: versions_genomamba

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    prefix = task.ext.prefix ?: "${meta.id}"
    def device = task.accelerator ? '--device cuda' : ''
    def max_memory = (!task.accelerator && task.memory) ? "--max-memory ${task.memory.toMega()}M" : ''
    """
    genomamba embed \\
        $args \\
        -@ $task.cpus \\
        $device \\
        $max_memory \\
        -m $model \\
        -i $input \\
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
