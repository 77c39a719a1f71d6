// C++ core: DRDID's repeated-cross-section estimators (lib/policy/drdid.hpp). Without covariates
// (an intercept only) each must reduce to the difference of the four means with the influence function
// ±(Y − Ȳ)/p; on outcomes exactly linear in a covariate the regression and doubly robust estimators
// recover the effect put in. The unconditional case against R did is in test_did.cpp.
#include <cmath>

#include <catch2/catch.hpp>

#include "policy/drdid.hpp"

namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

struct Sample {
  VectorXd y, post, d;
  MatrixXd x;
};

// 40 observations: cohort d = i % 3 == 0, later period post = i % 2, covariate x_i = sin(i) (not collinear
// with d or post), outcome y = 1 + 2x + 0.5·post + 0.3·d + τ·d·post + noise·cos(3i).
Sample Make(double tau, double noise) {
  const Eigen::Index n = 40;
  Sample s{VectorXd(n), VectorXd(n), VectorXd(n), MatrixXd(n, 2)};
  for (Eigen::Index i = 0; i < n; ++i) {
    const double xi = std::sin(static_cast<double>(i));
    s.d(i) = i % 3 == 0 ? 1 : 0;
    s.post(i) = static_cast<double>(i % 2);
    s.x(i, 0) = 1;
    s.x(i, 1) = xi;
    s.y(i) = 1 + 2 * xi + 0.5 * s.post(i) + 0.3 * s.d(i) + tau * s.d(i) * s.post(i) +
             noise * std::cos(3.0 * static_cast<double>(i));
  }
  return s;
}

}  // namespace

TEST_CASE("DRDID RC: with an intercept only, every estimator is the difference of the four means", "[did]") {
  const Sample s = Make(0.7, 0.4);
  const auto n = s.y.size();
  // The four groups' means and shares, and the influence function of the difference of means.
  double sum[2][2] = {{0, 0}, {0, 0}}, cnt[2][2] = {{0, 0}, {0, 0}};
  for (Eigen::Index i = 0; i < n; ++i) {
    const int side = s.d(i) == 1 ? 0 : 1, later = s.post(i) == 1 ? 1 : 0;
    sum[side][later] += s.y(i);
    cnt[side][later] += 1;
  }
  double mu[2][2];
  for (int a = 0; a < 2; ++a) {
    for (int b = 0; b < 2; ++b) mu[a][b] = sum[a][b] / cnt[a][b];
  }
  const double att = (mu[0][1] - mu[0][0]) - (mu[1][1] - mu[1][0]);
  VectorXd psi(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const int side = s.d(i) == 1 ? 0 : 1, later = s.post(i) == 1 ? 1 : 0;
    const double sign = (side == 0) == (later == 1) ? 1 : -1;
    psi(i) = sign * (s.y(i) - mu[side][later]) / (cnt[side][later] / static_cast<double>(n));
  }
  const MatrixXd ones = MatrixXd::Ones(n, 1);
  for (auto method : {cmrv::DidEstimator::kRegression, cmrv::DidEstimator::kIpw, cmrv::DidEstimator::kDoublyRobust}) {
    INFO(cmrv::DidEstimatorName(method));
    auto fit = cmrv::internal::EstimateCellRc(method, s.y, s.post, s.d, ones);
    REQUIRE(fit.ok());
    CHECK(fit->att == Approx(att).epsilon(1e-12));
    CHECK((fit->influence - psi).lpNorm<Eigen::Infinity>() < 1e-9);
    CHECK(std::abs(fit->influence.mean()) < 1e-12);
  }
}

TEST_CASE("DRDID RC: on exactly linear outcomes DR recovers the effect and OR shifts it by the covariate's drift",
          "[did]") {
  // Without noise every group's regression fits exactly. The locally efficient DR estimator compares
  // fitted values at the same covariates, so it returns τ = 0.7. The OR estimator (reg_did_rc) compares the
  // cohort's raw means across periods, so a cohort whose covariate mean moves between the periods adds
  // 2·(x̄_g,later − x̄_g,base): the stationarity that repeated cross-sections assume (Sant'Anna & Zhao 2020, §2).
  const Sample s = Make(0.7, 0);
  double x_later = 0, x_base = 0, n_later = 0, n_base = 0;
  for (Eigen::Index i = 0; i < s.y.size(); ++i) {
    if (s.d(i) != 1) continue;
    (s.post(i) == 1 ? x_later : x_base) += s.x(i, 1);
    (s.post(i) == 1 ? n_later : n_base) += 1;
  }
  const double drift = x_later / n_later - x_base / n_base;
  auto dr = cmrv::internal::EstimateCellRc(cmrv::DidEstimator::kDoublyRobust, s.y, s.post, s.d, s.x);
  auto reg = cmrv::internal::EstimateCellRc(cmrv::DidEstimator::kRegression, s.y, s.post, s.d, s.x);
  REQUIRE((dr.ok() && reg.ok()));
  CHECK(dr->att == Approx(0.7).epsilon(1e-10));
  CHECK(reg->att == Approx(0.7 + 2 * drift).epsilon(1e-10));
  CHECK(std::abs(drift) > 1);  // the design does move the cohort's covariate
  // With noise the three differ, and each influence function still has mean zero.
  const Sample noisy = Make(0.7, 0.4);
  for (auto method : {cmrv::DidEstimator::kRegression, cmrv::DidEstimator::kIpw, cmrv::DidEstimator::kDoublyRobust}) {
    auto fit = cmrv::internal::EstimateCellRc(method, noisy.y, noisy.post, noisy.d, noisy.x);
    REQUIRE(fit.ok());
    CHECK(std::abs(fit->influence.mean()) < 1e-10);
  }
  // Collinear covariates are refused with the group named.
  MatrixXd collinear(s.x.rows(), 3);
  collinear << s.x, s.x.col(1) * 2;
  auto bad = cmrv::internal::EstimateCellRc(cmrv::DidEstimator::kRegression, s.y, s.post, s.d, collinear);
  CHECK(bad.status().message() == "the covariates are collinear among the comparison units in the base period");
}
