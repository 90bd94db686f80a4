/* TEMPORARY stub until the mail branch lands (src/CMakeLists.txt picks mail.c when it exists). */
#include "core/common.h"
#include "deliver/mail.h"
#include <stdlib.h>
int mail_options_check(const struct mail_options *o, struct pb_err *err) { (void)o; (void)err; return 0; }
int mail_read_recipients(const char *to, const char *to_file, char ***out, size_t *n, struct pb_err *err)
{ (void)to; (void)to_file; (void)err; *out = NULL; *n = 0; return 0; }
void mail_recipients_free(char **list, size_t n) { for (size_t i = 0; i < n; i++) free(list[i]); free(list); }
int mail_compose(const struct mail_options *o, const struct digest *d, const char *recipient, time_t now, struct mail_message *out, struct pb_err *err)
{ (void)o; (void)d; (void)recipient; (void)now; (void)out; return pb_err_set(err, PB_ERR, "stub"); }
void mail_message_release(struct mail_message *m) { (void)m; }
int mail_send(const struct mail_options *o, const struct mail_message *m, const struct pb_run *run, struct pb_err *err)
{ (void)o; (void)m; (void)run; return pb_err_set(err, PB_ERR, "stub"); }
