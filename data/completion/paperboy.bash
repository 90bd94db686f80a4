# bash completion for paperboy(1)                              -*- shell-script -*-
#
# Installed as share/bash-completion/completions/paperboy, where bash-completion
# loads it on the first <TAB> after "paperboy". It works without bash-completion
# too ("source paperboy.bash"): it reads COMP_WORDS and calls plain compgen, none
# of bash-completion's helpers (_init_completion and the like).
#
# The lists follow `paperboy COMMAND --help` (src/cli/main.c's command table,
# src/cli/options.c, the config key table in src/core/config.c); tests/e2e/
# test_package.py fails when a command or an option of `run` is missing here.

_paperboy_commands="fetch translate render speak run backfill import stats site demo send health config help"

# COMPREPLY from compgen, one candidate a line (names with spaces stay whole).
_paperboy_reply()
{
    mapfile -t COMPREPLY < <(compgen "$@")
}

# The options of one command, -q -v -h included.
_paperboy_options()
{
    local common="--out --db --config -q --quiet -v --verbose -h --help"
    local net="--timeout --retries --connect-timeout --stall-timeout --request-deadline"
    local llm="--llm-url --llm-model --jobs --rpm --llm-timeout --tries --deadline --glossary --budget --force"
    local speak="--voice --rate --tts-url --tts-model --tts-voice --tts-jobs --content"
    case $1 in
        fetch) echo "--date $common --hf-url $net" ;;
        translate) echo "--date $common $llm" ;;
        render) echo "--date $common --lang" ;;
        speak) echo "--date $common $speak --script-only" ;;
        run) echo "--date $common --hf-url $net $llm $speak --lang --site-dir --no-translate --no-audio" ;;
        backfill) echo "--from --to $common --hf-url $net $llm $speak --lang --site-dir --no-translate --no-audio" ;;
        import) echo "$common" ;;
        stats) echo "--date $common --days --top" ;;
        site) echo "$common --lang --site-dir --port --serve" ;;
        demo) echo "$common $speak --lang --site-dir --no-audio" ;;
        send) echo "--date $common $net --only --resend --dry-run" ;;
        health) echo "--date $common --lang --days --no-audio" ;;
        config) echo "$common --hf-url $net $llm $speak --lang --site-dir --port" ;;
        help) ;;
        *) echo "--help --version" ;;
    esac
}

# Options that take a value (the next word, or after "=").
_paperboy_takes_value()
{
    case $1 in
        --date | --out | --db | --config | --hf-url | --timeout | --retries | --connect-timeout | \
            --stall-timeout | --request-deadline | --llm-url | --llm-model | --jobs | --rpm | \
            --llm-timeout | --tries | --deadline | --glossary | --budget | --voice | --rate | \
            --tts-url | --tts-model | --tts-voice | --tts-jobs | --content | --lang | --site-dir | \
            --port | --from | --to | --days | --top | --only)
            return 0 ;;
    esac
    return 1
}

# COMPREPLY for the value of option $1, the word so far $2.
_paperboy_value()
{
    local opt=$1 cur=$2
    case $opt in
        --out | --site-dir)
            _paperboy_reply -d -- "$cur" ;;
        --db | --config | --glossary)
            _paperboy_reply -f -- "$cur" ;;
        --lang)
            # A comma-separated list: complete the part after the last comma.
            local done="" part=$cur
            if [[ $cur == *,* ]]; then
                done=${cur%,*},
                part=${cur##*,}
            fi
            _paperboy_reply -P "$done" -W "zh-CN zh-TW" -- "$part" ;;
        --content)
            _paperboy_reply -W "brief full" -- "$cur" ;;
        *)
            COMPREPLY=() ;; # a date, a number, a URL, a name: nothing to offer
    esac
    if [[ $opt == --out || $opt == --site-dir || $opt == --db || $opt == --config ||
        $opt == --glossary ]]; then
        # Directories get a "/" and files keep their names as typed, as with -o filenames.
        compopt -o filenames 2>/dev/null
    fi
    if [[ $opt == --lang ]]; then
        compopt -o nospace 2>/dev/null
    fi
}

_paperboy()
{
    # COMP_WORDS as bash split them (at "=" too): the same with or without
    # bash-completion, so nothing here needs its helpers.
    local -a words=("${COMP_WORDS[@]}")
    local cword=$COMP_CWORD
    local cur=${COMP_WORDS[COMP_CWORD]} prev=""
    if ((cword > 0)); then
        prev=${COMP_WORDS[COMP_CWORD - 1]}
    fi
    COMPREPLY=()

    # The command: the first word after "paperboy" that is not -q/-v (those may come first).
    local i command="" at=0
    for ((i = 1; i < cword; i++)); do
        case ${words[i]} in
            -q | --quiet | -v | --verbose) ;;
            *)
                command=${words[i]}
                at=$i
                break ;;
        esac
    done

    if [[ -z $command ]]; then
        if [[ $cur == -* ]]; then
            _paperboy_reply -W "--help --version -q --quiet -v --verbose" -- "$cur"
        else
            _paperboy_reply -W "$_paperboy_commands" -- "$cur"
        fi
        return 0
    fi

    if [[ $command == help ]]; then
        if ((cword == at + 1)); then
            _paperboy_reply -W "$_paperboy_commands" -- "$cur"
        fi
        return 0
    fi

    # "--out=DIR", whether COMP_WORDBREAKS split it at "=" or not.
    if [[ $cur == --*=* ]]; then
        _paperboy_value "${cur%%=*}" "${cur#*=}"
        local j
        for j in "${!COMPREPLY[@]}"; do
            COMPREPLY[j]=${cur%%=*}=${COMPREPLY[j]}
        done
        return 0
    fi
    if [[ $cur == = ]] && _paperboy_takes_value "$prev"; then
        _paperboy_value "$prev" ""
        return 0
    fi
    if [[ $prev == = ]] && ((cword >= 2)) && _paperboy_takes_value "${words[cword - 2]}"; then
        _paperboy_value "${words[cword - 2]}" "$cur"
        return 0
    fi
    if _paperboy_takes_value "$prev"; then
        _paperboy_value "$prev" "$cur"
        return 0
    fi

    if [[ $cur == -* ]]; then
        _paperboy_reply -W "$(_paperboy_options "$command")" -- "$cur"
    elif [[ $command == import ]]; then
        # import DIR: the old repository's checkout.
        _paperboy_reply -d -- "$cur"
        compopt -o filenames 2>/dev/null
    fi
    return 0
} &&
    complete -F _paperboy paperboy

# ex: filetype=sh
