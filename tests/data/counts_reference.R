# Reference values for Lantern's community counts (src/core/process/counts): R's poisson.test
# (rate ratio after vs before, exact interval and p) and the segmented Poisson regression
# (interrupted time series) fitted by glm(family = poisson) with an offset.
# Run: Rscript tests/data/counts_reference.R > tests/data/counts_reference.out
# (R 4.2.2). The same series are fitted by statsmodels in counts_reference.py.
options(digits = 17)

cat("## poisson.test(c(a, b), c(Ta, Tb)): a, Ta, b, Tb, estimate, conf.low, conf.high, p.value\n")
cases <- list(
  c(30, 12, 52, 12), c(11, 6, 4, 6), c(0, 10, 7, 12), c(120, 48000, 95, 51000),
  c(3, 2.5, 3, 7.5), c(250, 365, 310, 365), c(5, 10, 0, 10)
)
for (k in cases) {
  r <- poisson.test(c(k[1], k[3]), c(k[2], k[4]))
  cat(sprintf("(%s, %s, %s, %s, %.17g, %.17g, %.17g, %.17g),\n", k[1], k[2], k[3], k[4],
              r$estimate, r$conf.int[1], r$conf.int[2], r$p.value))
}

# time = 1..n; post = time >= start; time_after = (time - start) * post:
# log(mu) = log(exposure) + b0 + b1 time + b2 post + b3 time_after.
series <- list(
  s1 = list(start = 13,
            count = c(30, 40, 27, 53, 37, 43, 33, 45, 49, 43, 40, 38, 66, 56, 54, 59, 66, 51, 66, 50, 53, 38, 61, 48),
            exposure = 50000 + 150 * (1:24)),
  s2 = list(start = 9,
            count = c(0, 0, 0, 2, 1, 0, 2, 1, 0, 0, 0, 3, 1, 3, 2, 0),
            exposure = rep(1, 16)),
  s3 = list(start = 19,
            count = c(100, 169, 75, 168, 79, 105, 86, 116, 93, 82, 103, 169, 219, 84, 176, 81, 134, 93,
                      132, 162, 136, 74, 217, 171, 247, 225, 131, 136, 123, 200),
            exposure = rep(c(31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31), 3)[1:30])
)
for (name in names(series)) {
  s <- series[[name]]
  n <- length(s$count)
  time <- 1:n
  post <- as.numeric(time >= s$start)
  time_after <- (time - s$start) * post
  m <- glm(s$count ~ time + post + time_after, family = poisson, offset = log(s$exposure),
           control = glm.control(epsilon = 1e-14, maxit = 100))
  co <- summary(m)$coefficients
  ci <- confint.default(m)
  pearson <- sum(residuals(m, type = "pearson")^2)
  disp <- pearson / m$df.residual
  cat(sprintf("## %s: deviance %.17g pearson_chi2 %.17g df %d dispersion %.17g\n", name, deviance(m), pearson, m$df.residual, disp))
  cat("## term: estimate, se, z, p, ci_low, ci_high, se_quasi = se * sqrt(dispersion)\n")
  for (j in 1:4) {
    cat(sprintf("(%.17g, %.17g, %.17g, %.17g, %.17g, %.17g, %.17g),\n", co[j, 1], co[j, 2], co[j, 3], co[j, 4],
                ci[j, 1], ci[j, 2], co[j, 2] * sqrt(disp)))
  }
}
