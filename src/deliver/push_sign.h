/*
 * push_sign.h - the signatures of Feishu's and DingTalk's signed webhooks,
 * apart so tests can check them against vectors computed elsewhere
 * (push.c signs every message with them).
 */
#ifndef PB_DELIVER_PUSH_SIGN_H
#define PB_DELIVER_PUSH_SIGN_H

/*
 * Feishu: body (a JSON object) with "timestamp" (now_ms in seconds, as a
 * string) and "sign" = base64(HMAC-SHA256 keyed by "timestamp\nsecret" over
 * nothing) added at its end. Caller frees.
 */
char *push_sign_feishu(const char *body, const char *secret, long long now_ms);

/*
 * DingTalk: url with "timestamp=MS&sign=" + URL-encoded base64(HMAC-SHA256
 * keyed by secret over "MS\nsecret") appended. Caller frees.
 */
char *push_sign_dingtalk_url(const char *url, const char *secret, long long now_ms);

#endif
