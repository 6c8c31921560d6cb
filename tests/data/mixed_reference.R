# Expected values for tests/reference.rs (`r_fixture_cases`) on data the public reference cases
# do not cover. Run: Rscript tests/data/mixed_reference.R  (writes mixed_reference.json here).
# R 4.2.2, nlme 3.1-162, jsonlite 1.8.4. No value here comes from the Rust code.
#
# Mixed model: nlme::lme(score ~ time * arm, random = ~ 1 | id, method = "REML") with the tight
# control of the public reference (tolerance 1e-12, msTol 1e-14, ...); summary()$tTable,
# intervals(which = "fixed", level = 1 - alpha), sqrt(getVarCov(fit)[1, 1]), fit$sigma.
# When model.matrix(~ time * arm) is rank deficient (a time level missing, or only in one arm),
# lme() stops; the fit is then lme(score ~ 0 + X) on the columns kept by qr() (R's pivoting), and
# the dropped columns are expected null.
#
# How the optimum was confirmed: an independent dense-matrix profiled REML log-likelihood in
# plain R (reml_profile below: GLS for given lambda = s2u/s2e, closed-form s2e) is maximised by
# optimize() on log(lambda) (tol 1e-12); the script stops unless nlme's lambda agrees with it to
# 1e-6 relative and nlme's REML log-likelihood is within 1e-9 of the profile's maximum.
#
# Boundary case (s2u -> 0): the REML optimum is lambda = 0, where the fit is OLS (GLS with H = I,
# s2e = RSS/(N - p)). Confirmed by: the profile's derivative at 0 is negative and its value at 0
# exceeds every lambda > 0 tried (the same optimize()), and nlme's s_u is tiny. The expected
# estimates/SEs are lm()'s, sd_participant 0, with nlme's degrees of freedom (fit$fixDF$X).
suppressPackageStartupMessages({ library(nlme); library(jsonlite) })
ctrl <- lmeControl(tolerance = 1e-12, msTol = 1e-14, maxIter = 500, msMaxIter = 500,
                   msMaxEval = 2000, niterEM = 100, returnObject = TRUE)
reml <- list(atol = 1e-9, rtol = 1e-5); pval <- list(atol = 1e-6, rtol = 1e-4)
closed <- list(atol = 1e-9, rtol = 1e-6); count <- list(atol = 0, rtol = 0)
v <- function(x, tol) {
  if (is.null(x) || length(x) == 0 || is.na(x)) list(value = NULL, reason = "not computable")
  else c(list(value = unname(x)), tol)
}
term_names <- c("(Intercept)" = "intercept", timepost = "post", timefollowup = "followup",
                arm = "arm", "timepost:arm" = "post:arm", "timefollowup:arm" = "followup:arm")

long_table <- function(d, two_arm) {
  ok <- if (two_arm) d$arm %in% c("intervention", "control") else d$arm %in% "all"
  d <- d[ok, ]
  d$id <- seq_len(nrow(d))
  L <- rbind(data.frame(id = d$id, arm = d$arm, time = "pre", score = d$pre),
             data.frame(id = d$id, arm = d$arm, time = "post", score = d$post),
             data.frame(id = d$id, arm = d$arm, time = "followup", score = d$followup))
  L <- L[!is.na(L$score), ]
  L$time <- factor(L$time, levels = c("pre", "post", "followup"))
  L$arm <- as.numeric(L$arm == "intervention")
  L[order(L$id, L$time), ]
}

# Independent dense profiled REML (Patterson-Thompson), lambda = s2u / s2e.
reml_profile <- function(lambda, X, y, id) {
  N <- length(y); p <- ncol(X)
  Hinv <- matrix(0, N, N); ldH <- 0
  for (g in unique(id)) {
    ix <- which(id == g); n <- length(ix)
    Hinv[ix, ix] <- diag(n) - lambda / (1 + n * lambda)
    ldH <- ldH + log(1 + n * lambda)
  }
  A <- t(X) %*% Hinv %*% X
  b <- solve(A, t(X) %*% Hinv %*% y)
  r <- y - X %*% b
  s2 <- as.numeric(t(r) %*% Hinv %*% r) / (N - p)
  -0.5 * ((N - p) * (log(s2) + 1 + log(2 * pi)) + ldH + as.numeric(determinant(A)$modulus))
}

fit_case <- function(d, two_arm, alpha, boundary = FALSE) {
  L <- long_table(d, two_arm)
  f <- if (two_arm) ~ time * arm else ~ time
  Xf <- model.matrix(f, L)
  qx <- qr(Xf)
  keep <- sort(qx$pivot[seq_len(qx$rank)])
  X <- Xf[, keep, drop = FALSE]
  L$X <- X
  fit <- if (length(keep) == ncol(Xf)) {
    lme(if (two_arm) score ~ time * arm else score ~ time, random = ~ 1 | id, data = L,
        method = "REML", control = ctrl)
  } else {
    lme(score ~ 0 + X, random = ~ 1 | id, data = L, method = "REML", control = ctrl)
  }
  tt <- summary(fit)$tTable
  rownames(tt) <- colnames(Xf)[keep]
  s_u <- sqrt(getVarCov(fit)[1, 1]); s_e <- fit$sigma
  lam_nlme <- s_u^2 / s_e^2
  opt <- optimize(function(t) reml_profile(exp(t), X, L$score, L$id), c(-30, 15),
                  maximum = TRUE, tol = 1e-12)
  at0 <- reml_profile(0, X, L$score, L$id)
  h <- 1e-7
  d0 <- (reml_profile(h, X, L$score, L$id) - at0) / h
  est <- tt[, "Value"]; se <- tt[, "Std.Error"]; sd_u <- s_u; sd_e <- s_e
  if (boundary) {
    stopifnot(d0 < 0, at0 >= opt$objective, s_u < 1e-3 * s_e)
    ols <- lm(L$score ~ 0 + X)
    est <- coef(ols); se <- sqrt(diag(vcov(ols))); sd_u <- 0; sd_e <- summary(ols)$sigma
    info <- list(nlme_sd_participant = s_u, profile_at_0 = at0, profile_best_interior = opt$objective,
                 profile_slope_at_0 = d0, nlme_max_abs_diff_estimate = max(abs(est - tt[, "Value"])))
  } else {
    lam_opt <- exp(opt$maximum)
    stopifnot(abs(lam_nlme / lam_opt - 1) < 1e-6,
              abs(reml_profile(lam_nlme, X, L$score, L$id) - opt$objective) < 1e-9, opt$objective > at0)
    info <- list(lambda_nlme = lam_nlme, lambda_profile = lam_opt,
                 reml_loglik_profile = opt$objective)
  }
  df <- tt[, "DF"]
  tv <- est / se
  q <- qt(1 - alpha / 2, df)
  terms <- list()
  all_names <- colnames(Xf)
  for (j in seq_along(all_names)) {
    nm <- term_names[[all_names[j]]]
    k <- match(all_names[j], rownames(tt))
    if (is.na(k)) {
      terms[[nm]] <- lapply(c(estimate = 1, se = 1, df = 1, t = 1, p = 1, ci_low = 1, ci_high = 1),
                            function(z) v(NA))
    } else {
      terms[[nm]] <- list(estimate = v(est[k], reml), se = v(se[k], reml), df = v(df[k], count),
                          t = v(tv[k], reml), p = v(2 * pt(-abs(tv[k]), df[k]), pval),
                          ci_low = v(est[k] - q[k] * se[k], reml), ci_high = v(est[k] + q[k] * se[k], reml))
    }
  }
  if (!boundary && length(keep) == ncol(Xf)) {
    # the tTable p and intervals() are R's own; they must agree with the formulas above
    iv <- intervals(fit, level = 1 - alpha, which = "fixed")$fixed
    stopifnot(max(abs(iv[, "lower"] - (est - q * se))) < 1e-8, max(abs(tt[, "p-value"] - 2 * pt(-abs(tv), df))) < 1e-12)
  }
  list(mixed = list(n_people = v(length(unique(L$id)), count), n_obs = v(nrow(L), count),
                    sd_participant = v(sd_u, reml), sd_residual = v(sd_e, reml), terms = terms),
       info = c(info, list(df_nlme = as.list(setNames(df, rownames(tt))))))
}

ftest <- function(fit_small, fit_big, n) {
  a <- anova(fit_small, fit_big)
  list(f = v(a$F[2], closed), df1 = v(a$Df[2], count), df2 = v(a$Res.Df[2], count),
       p = v(a$`Pr(>F)`[2], pval), n = v(n, count))
}
null_test <- function(n) list(f = v(NA), df1 = v(NA), df2 = v(NA), p = v(NA), n = v(n, count))

subgroup_case <- function(d, two_arm) {
  d <- d[!is.na(d$pre) & !is.na(d$post) & !is.na(d$level) & trimws(d$level) != "", ]
  d$change <- round(d$post - d$pre, 9)
  arms <- if (two_arm) c("intervention", "control") else "all"
  out <- list(); kept <- list(); left <- list()
  for (a in arms) {
    da <- d[d$arm %in% a, ]
    tab <- table(da$level)
    kept[[a]] <- names(tab)[tab >= 2]
    lo <- tab[tab < 2]; left[[a]] <- as.list(setNames(as.integer(lo), names(lo)))
    da <- da[da$level %in% kept[[a]], ]
    da$level <- factor(da$level)
    out[[a]] <- if (length(kept[[a]]) >= 2) {
      an <- anova(lm(change ~ level, da))
      list(f = v(an$`F value`[1], closed), df1 = v(an$Df[1], count), df2 = v(an$Df[2], count),
           p = v(an$`Pr(>F)`[1], pval), n = v(nrow(da), count))
    } else null_test(nrow(da))
  }
  if (two_arm) {
    lv <- intersect(kept$intervention, kept$control)
    di <- d[d$arm %in% c("intervention", "control") & d$level %in% lv, ]
    di$level <- factor(di$level); di$arm <- as.numeric(di$arm == "intervention")
    out$interaction <- if (length(lv) >= 2) {
      ftest(lm(change ~ arm + level, di), lm(change ~ arm * level, di), nrow(di))
    } else null_test(nrow(di))
  }
  list(tests = out, left_out = left)
}

family_case <- function(d, two_arm) {
  arms <- if (two_arm) c("intervention", "control") else "all"
  fam <- list()
  for (a in arms) for (l in sort(unique(d$level[d$arm %in% a & !is.na(d$level) & d$level != ""]))) {
    s <- d[d$arm %in% a & d$level %in% l & !is.na(d$pre) & !is.na(d$post), ]
    p <- tryCatch(t.test(s$post, s$pre, paired = TRUE)$p.value, error = function(e) NA)
    fam[[length(fam) + 1]] <- list(arm = a, level = l, p = p)
  }
  p <- sapply(fam, function(f) f$p)
  holm <- p.adjust(p, "holm"); bh <- p.adjust(p, "BH")
  adj <- list()
  for (i in seq_along(fam)) {
    a <- fam[[i]]$arm; l <- fam[[i]]$level
    if (is.null(adj[[a]])) adj[[a]] <- list()
    adj[[a]][[l]] <- list(p = v(p[i], pval), holm = v(holm[i], pval), bh = v(bh[i], pval))
    if (is.na(p[i])) fam[[i]]$p <- NULL
  }
  list(family = fam, expected = list(adjusted = adj))
}

make_case <- function(id, d, two_arm, alpha, boundary = FALSE, subgroups = TRUE) {
  m <- fit_case(d, two_arm, alpha, boundary)
  expected <- list(mixed = m$mixed)
  case <- list(id = id, two_arm = two_arm, alpha = alpha, boundary = boundary)
  if (subgroups) {
    s <- subgroup_case(d, two_arm); f <- family_case(d, two_arm)
    expected$subgroup_tests <- s$tests; expected$multiplicity <- f$expected
    case$left_out <- s$left_out; case$family <- f$family
  }
  case$expected <- expected; case$info <- m$info
  case$data <- lapply(seq_len(nrow(d)), function(i) as.list(d[i, ]))
  case
}

set.seed(20240611)
cases <- list()

# 1. Unbalanced two-arm trial: drop-out depending on pre, missing follow-ups, people with only a
#    later score, rows without a valid arm, people with no score; a subgroup level present only
#    in intervention (empty control cell), one with a single control pair; levels that look
#    like numbers; alpha 0.10.
n <- 130
arm <- sample(c("intervention", "control"), n, TRUE)
u <- rnorm(n, 0, 0.6)
pre <- round(2.6 + u + rnorm(n, 0, 0.5), 1)
post <- round(2.6 + u - 0.3 * (arm == "intervention") + rnorm(n, 0, 0.5), 1)
fu <- round(2.6 + u - 0.2 * (arm == "intervention") + rnorm(n, 0, 0.5), 1)
post[runif(n) < plogis(-2 + 0.6 * (pre - 2.6))] <- NA
fu[runif(n) < 0.35] <- NA
pre[sample(n, 8)] <- NA
level <- sample(c("1", "2", "3"), n, TRUE)
level[sample(which(arm == "intervention"), 6)] <- "10"
ctrl4 <- which(arm == "control")[1:2]; level[ctrl4] <- "4"; post[ctrl4[2]] <- NA; pre[ctrl4[1]] <- 2.5; post[ctrl4[1]] <- 2.1
level[sample(n, 5)] <- NA
arm[sample(n, 3)] <- "other"
pre[5] <- NA; post[5] <- NA; fu[5] <- NA
d1 <- data.frame(arm, pre, post, followup = fu, level, stringsAsFactors = FALSE)
cases[[1]] <- make_case("unbalanced_trial", d1, TRUE, 0.10)

# 2. Single group, 0-100 scale, heavy missingness at follow-up, alpha 0.05.
n <- 45
u <- rnorm(n, 0, 9)
pre <- round(50 + u + rnorm(n, 0, 8), 1); post <- round(44 + u + rnorm(n, 0, 8), 1)
fu <- round(46 + u + rnorm(n, 0, 8), 1)
post[sample(n, 7)] <- NA; fu[sample(n, 20)] <- NA
level <- sample(c("student", "staff", "parent"), n, TRUE, prob = c(0.5, 0.45, 0.05))
d2 <- data.frame(arm = "all", pre, post, followup = fu, level, stringsAsFactors = FALSE)
cases[[2]] <- make_case("single_group", d2, FALSE, 0.05)

# 3. Boundary: scores negatively correlated within people, REML optimum s2u = 0.
n <- 40
arm <- rep(c("intervention", "control"), each = 20)
a <- rnorm(n)
pre <- round(3 + 0.5 * a, 2); post <- round(3 - 0.5 * a + rnorm(n, 0, 0.2), 2)
fu <- round(3 + rnorm(n, 0, 0.6), 2); fu[sample(n, 10)] <- NA
d3 <- data.frame(arm, pre, post, followup = fu, level = NA, stringsAsFactors = FALSE)
cases[[3]] <- make_case("boundary_sigma_u_zero", d3, TRUE, 0.05, boundary = TRUE, subgroups = FALSE)

# 4. Follow-up only in the intervention arm: followup:arm is aliased with followup (null).
n <- 60
arm <- rep(c("intervention", "control"), 30)
u <- rnorm(n, 0, 0.7)
pre <- round(2.5 + u + rnorm(n, 0, 0.4), 1); post <- round(2.3 + u + rnorm(n, 0, 0.4), 1)
fu <- ifelse(arm == "intervention", round(2.2 + u + rnorm(n, 0, 0.4), 1), NA)
post[sample(n, 9)] <- NA
d4 <- data.frame(arm, pre, post, followup = fu, level = NA, stringsAsFactors = FALSE)
cases[[4]] <- make_case("followup_one_arm_only", d4, TRUE, 0.05, subgroups = FALSE)

# 5. No follow-up at all (two waves): followup and followup:arm null.
d5 <- d4; d5$followup <- NA
cases[[5]] <- make_case("two_waves_no_followup", d5, TRUE, 0.05, subgroups = FALSE)

# 6. The public case p07 (two arms, pre/post only, age bands, one level with a single pair):
#    mixed model, subgroup tests and multiplicity, none of which its reference JSON holds.
p07 <- read.csv("/work/shared/reference/analysis/p07_trial_n200_subgroups.csv", stringsAsFactors = FALSE,
                na.strings = "")
d6 <- data.frame(arm = p07$group, pre = p07$stigma_pre, post = p07$stigma_post, followup = NA,
                 level = p07$age_band, stringsAsFactors = FALSE)
cases[[6]] <- make_case("p07_two_waves", d6, TRUE, 0.05)

out <- list(generated_by = "tests/data/mixed_reference.R", R = R.version.string,
            nlme = as.character(packageVersion("nlme")), cases = cases)
args <- commandArgs(trailingOnly = FALSE)
here <- dirname(normalizePath(sub("^--file=", "", args[grep("^--file=", args)])))
writeLines(toJSON(out, auto_unbox = TRUE, digits = I(17), na = "null", null = "null", pretty = TRUE),
           file.path(here, "mixed_reference.json"))
cat("wrote", file.path(here, "mixed_reference.json"), "\n")
