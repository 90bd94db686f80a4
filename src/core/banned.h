/*
 * banned.h - functions that are easy to misuse; use buf_*, snprintf and the
 * _r variants instead (after git's banned.h).
 */
#ifndef PB_BANNED_H
#define PB_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_in_paperboy

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef strtok
#define strtok(x, y) BANNED(strtok)

#endif
