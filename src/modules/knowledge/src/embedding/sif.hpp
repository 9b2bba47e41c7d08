// Smooth inverse frequency (SIF) sentence vectors: Arora, Liang, Ma (2017), "A Simple but Tough-to-Beat Baseline
// for Sentence Embeddings". A sentence is the sum of its words' vectors, each weighted a / (a + p(w)), minus its
// projection on the common component (the first principal component of sentence vectors), then L2-normalised.
#pragma once
#include <cstddef>
#include <span>
#include <vector>

namespace uxf::knowledge::embedding {

/// The SIF parameter: the paper's default (its code's `weightpara = 1e-3`), inside the range it reports works best.
inline constexpr double kSifA = 1e-3;

/// Sentence length of the reference set whose first principal component is the common component (see
/// CommonComponent): about a short sentence's content and function words.
inline constexpr double kReferenceSentenceWords = 10;

/// H_n = 1 + 1/2 + ... + 1/n.
double HarmonicNumber(std::size_t n);

/// Word probabilities by Zipf's law: p(w) of the word of frequency rank r (1 = most frequent) among `vocabulary`
/// words is 1 / (r * H_vocabulary). The word vectors come with their frequency order but no counts, so the rank is
/// all there is to estimate a probability from; Zipf's law fits English word frequencies well over this range.
class Zipf {
  public:
    explicit Zipf(std::size_t vocabulary);
    double operator()(std::size_t rank) const;  ///< throws std::invalid_argument outside 1..vocabulary

  private:
    std::size_t vocabulary_;
    double harmonic_;
};

/// a / (a + p).
double SifWeight(double a, double p);

/// The common component removed from every sentence vector, computed once from the vocabulary in closed form.
/// The reference set is every sentence of `sentence_words` words drawn independently from the unigram
/// distribution `p` (one probability per row, normalised here); its SIF vector is the mean of s_w = weight(w) v(w)
/// over its words. The first principal component (uncentred, like the paper's TruncatedSVD) of that set is the top
/// eigenvector of the expected second moment
///     E[x x^T] = (1 - 1/n) mu mu^T + (1/n) sum_w p(w) s_w s_w^T,   mu = sum_w p(w) s_w,
/// found by power iteration. `weighted` holds the s_w, rows x dims. The sign is chosen so that mu . u >= 0.
std::vector<float> CommonComponent(std::span<const float> weighted, std::span<const double> p, std::size_t dims,
                                   double sentence_words);

/// v -= (u . v) u, then v /= |v|; a vector that is (nearly) zero after the removal becomes exactly zero.
void RemoveComponentAndNormalise(std::span<float> v, std::span<const float> u);

}  // namespace uxf::knowledge::embedding
