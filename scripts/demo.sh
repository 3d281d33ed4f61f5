#!/usr/bin/env bash
# The README's main command: set up and build on a fresh machine, then score the example variants and embed
# the example locus in data/ with the model trained by this repository (data/models/, see its MODEL_CARD.md),
# and say where the results are and how to read them.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
model=data/models/caduceus-ph-bacterial-d192-l4
mkdir -p out
build/apps/genomamba score -m "$model" -v data/kaptive-K54/K54.vcf -f data/kaptive-K54/K54.fa \
  -o out/K54.scored.vcf --window 1024
build/apps/genomamba embed -m "$model" -i data/kaptive-K54/K54.fa -o out/K54.h5 --per-position --logits
echo
echo "First scored variants (POS REF ALT gene class GM_LLR GM_EMB_COS):"
bcftools query -f '%POS\t%REF\t%ALT\t%INFO/GENE\t%INFO/CSQ_CLASS\t%INFO/GM_LLR\t%INFO/GM_EMB_COS\n' \
  out/K54.scored.vcf | head -n 8
echo
echo "Mean GM_LLR per class over the example SNVs (8 per class on one locus: too few to rank the classes;"
echo "the model card compares 3,000 per class over all held-out genes):"
bcftools query -f '%INFO/CSQ_CLASS\t%INFO/GM_LLR\n' out/K54.scored.vcf |
  awk -F'\t' '$2 != "." { n[$1]++; s[$1] += $2 } END { for (c in n) printf "  %-11s n=%d  mean llr %.3f\n", c, n[c], s[c] / n[c] }'
cat <<MSG

Wrote out/K54.scored.vcf: the variants of data/kaptive-K54/K54.vcf (a real Klebsiella capsule locus, see
its README.md) unchanged, plus INFO GM_LLR, GM_WT_LLR, GM_EMB_COS and GM_EMB_L2 for each ALT allele.
  llr < 0: the model finds ALT less likely than REF at that position; indels get only the embedding scores
  (emb_cos, emb_l2: how far the variant moves the region's mean embedding). docs/scores.md explains them.
  Read it with:  bcftools query -f '%CHROM\t%POS\t%REF\t%ALT\t%INFO/GM_LLR\n' out/K54.scored.vcf
Wrote out/K54.h5 (genomamba-embeddings layout, docs/formats.md): /windows/embedding is the locus' mean
embedding; /positions/embedding and /positions/logits have one row per base.
  Read it with:  python3 -c "import h5py; f = h5py.File('out/K54.h5'); print(f['windows/embedding'][:])"
The model ($model) is small and trained on bacterial capsule loci; its MODEL_CARD.md reports what it
learned on held-out genes: masked bases predicted better than by a k-mer context model, and llr ranking
nonsense below missense below synonymous SNVs on average (single variants scatter widely).
MSG
