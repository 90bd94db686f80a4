/* level.c - loudness (BS.1770) and a look-ahead limiter. */
#include "core/common.h"

#include "speak/level.h"

#include <math.h>
#include <stdlib.h>

#define PB_PI 3.14159265358979323846

struct biquad {
	double b0, b1, b2, a1, a2, z1, z2;
};

static double biquad_step(struct biquad *f, double x)
{
	double y = f->b0 * x + f->z1;
	f->z1 = f->b1 * x - f->a1 * y + f->z2;
	f->z2 = f->b2 * x - f->a2 * y;
	return y;
}

/* The K-weighting pair of BS.1770 at any rate (libebur128's derivation). */
static void k_weighting(int rate, struct biquad *shelf, struct biquad *hp)
{
	double f0 = 1681.974450955533, g = 3.999843853973347, q = 0.7071752369554196;
	double k = tan(PB_PI * f0 / rate), vh = pow(10.0, g / 20.0), vb = pow(vh, 0.4996667741545416);
	double a0 = 1.0 + k / q + k * k;
	*shelf = (struct biquad){(vh + vb * k / q + k * k) / a0, 2.0 * (k * k - vh) / a0,
				 (vh - vb * k / q + k * k) / a0, 2.0 * (k * k - 1.0) / a0,
				 (1.0 - k / q + k * k) / a0, 0, 0};
	f0 = 38.13547087602444;
	q = 0.5003270373238773;
	k = tan(PB_PI * f0 / rate);
	a0 = 1.0 + k / q + k * k;
	*hp = (struct biquad){1.0, -2.0, 1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0, 0, 0};
}

double level_loudness(const int16_t *x, size_t n, int rate)
{
	if (rate <= 0 || n == 0)
		return -70.0;
	struct biquad shelf, hp;
	k_weighting(rate, &shelf, &hp);
	size_t step = (size_t)rate / 10; /* 100 ms: blocks of 400 ms overlap by 75% */
	size_t n_steps = n / step;
	if (n_steps < 4)
		n_steps = 4;
	double *power = xcalloc(n_steps + 1, sizeof(*power));
	for (size_t i = 0; i < n; i++) {
		double y = biquad_step(&hp, biquad_step(&shelf, x[i] / 32768.0));
		size_t k = i / step;
		if (k < n_steps)
			power[k] += y * y;
	}
	size_t n_blocks = n_steps - 3;
	double *block = xcalloc(n_blocks + 1, sizeof(*block));
	for (size_t b = 0; b < n_blocks; b++)
		block[b] = (power[b] + power[b + 1] + power[b + 2] + power[b + 3]) / (4.0 * (double)step);
	free(power);
	/* absolute gate -70 LUFS, then relative gate 10 LU below the gated mean */
	double sum = 0, abs_gate = pow(10.0, (-70.0 + 0.691) / 10.0);
	size_t kept = 0;
	for (size_t b = 0; b < n_blocks; b++)
		if (block[b] > abs_gate)
			sum += block[b], kept++;
	double result = -70.0;
	if (kept) {
		double rel_gate = sum / (double)kept * pow(10.0, -10.0 / 10.0);
		double s2 = 0;
		size_t k2 = 0;
		for (size_t b = 0; b < n_blocks; b++)
			if (block[b] > abs_gate && block[b] > rel_gate)
				s2 += block[b], k2++;
		if (k2)
			result = -0.691 + 10.0 * log10(s2 / (double)k2);
	}
	free(block);
	return result;
}

/* Apply gain, then limit: a gain curve that dips before each over-loud sample (5 ms
 * look-ahead ramp) and recovers over 80 ms, so peaks are caught without clicks. */
static void gain_and_limit(int16_t *x, size_t n, int rate, double gain, double ceiling)
{
	float *g = xmalloc((n + 1) * sizeof(*g));
	for (size_t i = 0; i < n; i++) {
		double v = fabs(x[i] * gain);
		g[i] = v > ceiling ? (float)(ceiling / v) : 1.0f;
	}
	float attack = (float)(1.0 / (0.005 * rate)), release = (float)(1.0 / (0.08 * rate));
	for (size_t i = n; i-- > 1;) /* backwards: reach each dip by a ramp beforehand */
		if (g[i - 1] > g[i] + attack)
			g[i - 1] = g[i] + attack;
	for (size_t i = 1; i < n; i++) /* forwards: recover slowly */
		if (g[i] > g[i - 1] + release)
			g[i] = g[i - 1] + release;
	for (size_t i = 0; i < n; i++) {
		double v = x[i] * gain * g[i];
		if (v > ceiling)
			v = ceiling;
		if (v < -ceiling)
			v = -ceiling;
		x[i] = (int16_t)lrint(v);
	}
	free(g);
}

void level_normalize(int16_t *x, size_t n, int rate, double target_lufs, double ceiling_dbfs)
{
	double ceiling = 32767.0 * pow(10.0, ceiling_dbfs / 20.0);
	/* Limiting lowers the loudness a little: measure again and make it up once more. */
	for (int pass = 0; pass < 3; pass++) {
		double now = level_loudness(x, n, rate);
		if (now <= -69.0)
			return; /* silence stays silence */
		double gain_db = target_lufs - now;
		if (fabs(gain_db) < 0.2)
			return;
		gain_and_limit(x, n, rate, pow(10.0, gain_db / 20.0), ceiling);
	}
}
