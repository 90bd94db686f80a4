/*
 * wav - the WAV parser (speak/voice.c) on any bytes, as a speech server may
 * send them.
 * Properties: it returns (no endless chunk loop); a file it accepts gave a
 * sample rate of 8-192 kHz and no more samples than the bytes could hold, so
 * a header cannot make it allocate more than the file's size; a refused one
 * has a message and leaves nothing behind.
 */
#include "fuzz.h"

#include "speak/voice.h"

#define T "wav"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pcm p = {0};
	struct pb_err err = PB_ERR_INIT;
	if (wav_parse(data, size, &p, &err) == 0) {
		FUZZ_CHECK(T, p.rate >= 8000 && p.rate <= 192000, "sample rate");
		FUZZ_CHECK(T, p.n <= size / 2, "more samples than bytes");
		FUZZ_CHECK(T, p.n <= p.cap, "samples past the buffer");
	} else {
		FUZZ_CHECK(T, err.msg[0] != '\0', "a refused file without a message");
	}
	pcm_release(&p);
	return 0;
}
