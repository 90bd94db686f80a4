/* Unit tests for speak/voice: WAV parsing, and espeak-ng speaking Chinese as Mandarin. */
#include "core/common.h"

#include "core/buf.h"
#include "speak/voice.h"
#include "harness.h"

#include <espeak-ng/speak_lib.h>
#include <stdlib.h>

static void put16(struct buf *b, unsigned v)
{
	sb_addc(b, (char)(v & 0xFF));
	sb_addc(b, (char)(v >> 8));
}

static void put32(struct buf *b, unsigned long v)
{
	put16(b, (unsigned)(v & 0xFFFF));
	put16(b, (unsigned)(v >> 16));
}

/* A WAV of `frames` frames; data_claim is what the header says the data size is. */
static void make_wav(struct buf *b, int channels, int rate, size_t frames, unsigned long data_claim)
{
	sb_add(b, "RIFF", 4);
	put32(b, 36 + data_claim);
	sb_add(b, "WAVEfmt ", 8);
	put32(b, 16);
	put16(b, 1);
	put16(b, (unsigned)channels);
	put32(b, (unsigned long)rate);
	put32(b, (unsigned long)(rate * channels * 2));
	put16(b, (unsigned)(channels * 2));
	put16(b, 16);
	sb_add(b, "data", 4);
	put32(b, data_claim);
	for (size_t i = 0; i < frames; i++)
		for (int c = 0; c < channels; c++)
			put16(b, (unsigned)(uint16_t)(int16_t)(c == 0 ? 1000 : 3000));
}

/* espeak-ng's phonemes for text in a voice ("(en)" marks a switch to English). */
static char *phonemes(const char *voice, const char *text)
{
	espeak_SetVoiceByName(voice);
	struct buf b;
	buf_init(&b, BUF_LIMIT_NONE);
	const void *p = text;
	const char *ph;
	while (p && (ph = espeak_TextToPhonemes(&p, espeakCHARS_UTF8, 0)))
		sb_addf(&b, "%s ", ph);
	return buf_detach(&b);
}

int main(void)
{
	struct pb_err err = PB_ERR_INIT;
	struct buf wav;
	buf_init(&wav, BUF_LIMIT_NONE);
	make_wav(&wav, 1, 24000, 480, 960);
	struct pcm p = {0};
	CHECK_INT(wav_parse((const unsigned char *)wav.data, wav.len, &p, &err), 0);
	CHECK_INT(p.n, 480);
	CHECK_INT(p.rate, 24000);
	CHECK_INT(p.samples[0], 1000);
	/* Stereo is mixed down to mono. */
	buf_reset(&wav);
	make_wav(&wav, 2, 24000, 10, 40);
	CHECK_INT(wav_parse((const unsigned char *)wav.data, wav.len, &p, &err), 0);
	CHECK_INT(p.n, 490);
	CHECK_INT(p.samples[489], 2000);
	/* A WAV cut short is an error, not silence; so is another rate, or not a WAV at all. */
	buf_reset(&wav);
	make_wav(&wav, 1, 24000, 100, 960);
	CHECK_INT(wav_parse((const unsigned char *)wav.data, wav.len, &p, &err), PB_ERR_PARSE);
	CHECK_CONTAINS(err.msg, "cut short");
	pb_err_clear(&err);
	buf_reset(&wav);
	make_wav(&wav, 1, 16000, 10, 20);
	CHECK_INT(wav_parse((const unsigned char *)wav.data, wav.len, &p, &err), PB_ERR_PARSE);
	CHECK_CONTAINS(err.msg, "rate changed");
	pb_err_clear(&err);
	CHECK_INT(wav_parse((const unsigned char *)"{\"error\":1}", 11, &p, &err), PB_ERR_PARSE);
	CHECK_CONTAINS(err.msg, "not a WAV");
	pb_err_clear(&err);
	pcm_release(&p);
	buf_release(&wav);

	/* Chinese is spoken as Mandarin: tonal phonemes, never a switch to English. */
	struct espeak_options o = {NULL, 0};
	CHECK_INT(espeak_open(&o, &err), 0);
	char *zh = phonemes("cmn-latn-pinyin", "欢迎收听论文日报，今天为您带来7篇论文解读，准确性提高了百分之10到30。");
	CHECK(strstr(zh, "(en)") == NULL);
	CHECK_CONTAINS(zh, "55");  /* tone 1 */
	CHECK_CONTAINS(zh, "51");  /* tone 4 */
	free(zh);
	/* Why not "cmn": it reads its own pinyin in English ("huan one"). Pinned so a fixed
	 * espeak-ng shows up here and the default can be revisited. */
	char *plain = phonemes("cmn", "欢迎");
	CHECK_CONTAINS(plain, "(en)");
	free(plain);

	/* Mixed text: both voices speak, into one run of samples at espeak's rate. */
	struct pcm mixed = {0}, chinese = {0};
	CHECK_INT(espeak_say(&o, "我们用GPT 4o和LLaMA模型。", &mixed, NULL, &err), 0);
	CHECK_INT(espeak_say(&o, "我们用模型。", &chinese, NULL, &err), 0);
	CHECK(mixed.rate > 8000);
	CHECK(mixed.n > chinese.n); /* the English names were spoken too */
	struct espeak_options bad = {"no-such-voice", 0};
	struct pcm none = {0};
	CHECK_INT(espeak_say(&bad, "你好", &none, NULL, &err), PB_ERR_USAGE);
	CHECK_CONTAINS(err.msg, "no-such-voice");
	espeak_close();
	pcm_release(&mixed);
	pcm_release(&chinese);
	pcm_release(&none);
	return test_report("test_voice");
}
