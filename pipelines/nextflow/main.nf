#!/usr/bin/env nextflow
/*
 * genomamba in Nextflow: the three jobs of pipelines/snakemake, step for step.
 *   (a) embed:  every --embed_input file in --embed_shards shard tasks (--shard i/N), merged into
 *               <outdir>/embed/<name>.h5
 *   (b) score:  every --score_vcf file in --score_shards shard tasks, merged into
 *               <outdir>/score/<name>.vcf.gz and indexed (<name>.vcf.gz.tbi)
 *   (c) ism:    the region --ism_region in --ism_shards shard tasks, merged into <outdir>/ism/<name>.h5
 * A part runs when its input parameter is set. Flags for each command: --embed_args, --score_args,
 * --ism_args (conf/modules.config). Tool versions: <outdir>/pipeline_info/software_versions.tsv.
 * Run it (README.md): nextflow run pipelines/nextflow -profile test   (add ,gpu for one GPU per model task)
 */

include { GENOMAMBA_EMBED                         } from './modules/local/genomamba/embed/main'
include { GENOMAMBA_SCORE                         } from './modules/local/genomamba/score/main'
include { GENOMAMBA_ISM                           } from './modules/local/genomamba/ism/main'
include { GENOMAMBA_MERGE as GENOMAMBA_MERGE_EMBED } from './modules/local/genomamba/merge/main'
include { GENOMAMBA_MERGE as GENOMAMBA_MERGE_SCORE } from './modules/local/genomamba/merge/main'
include { GENOMAMBA_MERGE as GENOMAMBA_MERGE_ISM   } from './modules/local/genomamba/merge/main'
include { TABIX                                   } from './modules/local/tabix/main'

// The index files that sit next to a file (e.g. '.fai', '.gzi'), as a list that may be empty.
def companions(f, suffixes) {
    return suffixes.collect { s -> file("${f}${s}") }.findAll { idx -> idx.exists() }
}

// Shard i of n of every [meta, file, ...] tuple: meta gains shard and shards (conf/modules.config turns
// them into --shard i/N and the shard's file name). combine appends i to each tuple.
def shard_tuples(ch, n) {
    return ch.combine(channel.of(0..<n)).map { t -> [t[0] + [shard: t[-1], shards: n]] + t[1..-2] }
}

// The shard outputs of each job, regrouped N at a time (meta without shard/shards) for its merge task.
def regroup(ch) {
    return ch
        .map { meta, f -> [groupKey(meta.findAll { k, v -> !(k in ['shard', 'shards']) }, meta.shards), f] }
        .groupTuple()
        .map { key, files -> [key.getGroupTarget(), files.sort { f -> f.name }] }
}

workflow {
    main:
    if (!params.model) {
        error("genomamba: set --model to a Caduceus checkpoint folder (config.json + model.safetensors)")
    }
    if (!params.embed_input && !params.score_vcf && !params.ism_region) {
        error("genomamba: nothing to do; set --embed_input, --score_vcf and/or --ism_region (README.md)")
    }
    if ((params.score_vcf || params.ism_region) && !params.reference) {
        error("genomamba: --score_vcf and --ism_region need --reference, an indexed FASTA (samtools faidx)")
    }
    def model_dir = file(params.model, checkIfExists: true)
    def ch_model = channel.value([[id: model_dir.name], model_dir])

    // the reference of score and ism, with its .fai (and .gzi), as [meta, fasta, [indexes]]
    def ref = params.reference ? file(params.reference, checkIfExists: true) : null
    def reference = ref ? [[id: ref.simpleName], ref, companions(ref, ['.fai', '.gzi'])] : null

    // (a) embed in shards, then merge
    if (params.embed_input) {
        def ch_sequences = channel.fromPath(params.embed_input, checkIfExists: true)
            .map { f -> [[id: f.simpleName], f, companions(f, ['.fai', '.gzi', '.bai', '.csi', '.crai'])] }
        GENOMAMBA_EMBED(shard_tuples(ch_sequences, params.embed_shards as int), ch_model)
        GENOMAMBA_MERGE_EMBED(regroup(GENOMAMBA_EMBED.out.embeddings))
    }

    // (b) score in shards, merge into one bgzipped VCF, index it
    if (params.score_vcf) {
        def ch_vcfs = channel.fromPath(params.score_vcf, checkIfExists: true)
            .map { f -> [[id: f.simpleName], f, companions(f, ['.tbi', '.csi'])] }
        GENOMAMBA_SCORE(shard_tuples(ch_vcfs, params.score_shards as int), ch_model, channel.value(reference))
        GENOMAMBA_MERGE_SCORE(regroup(GENOMAMBA_SCORE.out.scores))
        TABIX(GENOMAMBA_MERGE_SCORE.out.merged)
    }

    // (c) ISM of one region in shards, then merge
    if (params.ism_region) {
        def name = params.ism_name ?: params.ism_region.replaceAll(/[^A-Za-z0-9_.-]/, '_')
        def ch_region = channel.of([[id: name], reference[1], reference[2], params.ism_region])
        GENOMAMBA_ISM(shard_tuples(ch_region, params.ism_shards as int), ch_model)
        GENOMAMBA_MERGE_ISM(regroup(GENOMAMBA_ISM.out.ism))
    }

    // one line per task kind and tool: process, tool, version
    channel.topic('versions')
        .map { proc, tool, version -> "${proc.tokenize(':').last()}\t${tool}\t${version}" }
        .unique()
        .collectFile(name: 'software_versions.tsv', storeDir: "${params.outdir}/pipeline_info", newLine: true, sort: true)
}
