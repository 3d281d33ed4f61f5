// tabix: the .tbi index of a bgzipped VCF (genomamba writes none). A small local stand-in for nf-core's
// htslib/bgziptabix, so that the workflow in this folder runs without installing nf-core modules.
process TABIX {
    tag "$meta.id"
    label 'process_single'

    // tabix is Bioconda's htslib; pin it in your own config if you run with conda or containers, e.g.
    // withName: TABIX { conda = 'bioconda::htslib=1.21' }. Without either, the tabix on PATH runs.

    input:
    tuple val(meta), path(vcf)   // bgzipped VCF

    output:
    tuple val(meta), path("${vcf}.tbi"), emit: tbi
    tuple val("${task.process}"), val('tabix'), eval("tabix --version | sed -n '1s/^tabix (htslib) //p'"), topic: versions, emit: versions_tabix

    when:
    task.ext.when == null || task.ext.when

    script:
    def args = task.ext.args ?: '-p vcf'
    """
    tabix \\
        $args \\
        $vcf
    """

    stub:
    def args = task.ext.args ?: '-p vcf'
    """
    echo "$args"
    touch ${vcf}.tbi
    """
}
