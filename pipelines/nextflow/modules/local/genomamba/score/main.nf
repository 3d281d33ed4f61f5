// genomamba score: model scores (llr, wt_llr, emb_cos, emb_l2) for every ALT allele of a VCF/BCF.
// The output type follows ext.suffix: h5 (the default, and the only type a --shard run may write), vcf,
// vcf.gz, bcf or tsv. Shards are combined by GENOMAMBA_MERGE, into any of these types.
process GENOMAMBA_SCORE {
    tag "$meta.id"
    label 'process_medium'
    label 'process_gpu'

    // No `conda` or `container` line on purpose: genomamba has no Bioconda recipe and no published image.
    // The task runs the `genomamba` found on PATH (see pipelines/nextflow/README.md).

    input:
    tuple val(meta), path(vcf), path(vcf_index)       // vcf_index: [] or .tbi/.csi (used by -r regions)
    tuple val(meta2), path(model)                     // Caduceus checkpoint folder
    tuple val(meta3), path(fasta), path(fasta_index)  // reference with its .fai (and .gzi when bgzipped)

    output:
    tuple val(meta), path("${prefix}.${suffix}"), emit: scores
    tuple val("${task.process}"), val('genomamba'), eval("genomamba --version | cut -d ' ' -f 2"), topic: versions, emit: versions_genomamba

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: ''
    prefix = task.ext.prefix ?: "${meta.id}"
    suffix = task.ext.suffix ?: 'h5'
    def device = task.accelerator ? '--device cuda' : ''
    def max_memory = (!task.accelerator && task.memory) ? "--max-memory ${task.memory.toMega()}M" : ''
    """
    genomamba score \\
        $args \\
        -@ $task.cpus \\
        $device \\
        $max_memory \\
        -m $model \\
        -v $vcf \\
        -f $fasta \\
        -o ${prefix}.${suffix}
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
