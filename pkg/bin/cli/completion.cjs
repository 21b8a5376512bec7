// completion bash|zsh: scripts generated from the option and command tables, so they cannot go stale.
'use strict';

const { NAME, UsageError, out } = require('./io.cjs');
const { OPTIONS, GLOBAL, OUTPUTS } = require('./args.cjs');
const { COMMANDS } = require('./commands.cjs');

const FILE_OPTIONS = ['cli-input-json', 'journal', 'params', 'payload'];
const flags = (names) => names.map((n) => `--${n}`).join(' ');
const commandNames = Object.keys(COMMANDS);

function bash() {
  const cases = commandNames.map((c) => `    ${c}) opts="${flags([...COMMANDS[c].options, ...GLOBAL])}" ;;`).join('\n');
  const valued = Object.keys(OPTIONS).filter((n) => OPTIONS[n].type === 'string');
  return `# bash completion for ${NAME}: source <(${NAME} completion bash)
_${NAME.replace(/-/g, '_')}() {
  local cur prev cmd opts i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "\${COMP_WORDS[i]}" in -*) ;; *) cmd="\${COMP_WORDS[i]}"; break ;; esac
  done
  case "$prev" in
    --output|-o) COMPREPLY=($(compgen -W "${OUTPUTS.join(' ')}" -- "$cur")); return ;;
    --language) COMPREPLY=($(compgen -W "zh-CN en-US" -- "$cur")); return ;;
    ${FILE_OPTIONS.map((n) => `--${n}`).join('|')}) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    ${valued
      .filter((n) => !FILE_OPTIONS.includes(n) && n !== 'output' && n !== 'language')
      .map((n) => `--${n}`)
      .join('|')}) return ;;
  esac
  if [[ -z "$cmd" ]]; then
    if [[ "$cur" == -* ]]; then COMPREPLY=($(compgen -W "${flags(GLOBAL)}" -- "$cur"))
    else COMPREPLY=($(compgen -W "${commandNames.join(' ')}" -- "$cur")); fi
    return
  fi
  case "$cmd" in
${cases}
    *) opts="${flags(GLOBAL)}" ;;
  esac
  case "$cmd" in
    completion) [[ "$cur" != -* ]] && { COMPREPLY=($(compgen -W "bash zsh" -- "$cur")); return; } ;;
    help) [[ "$cur" != -* ]] && { COMPREPLY=($(compgen -W "${commandNames.join(' ')}" -- "$cur")); return; } ;;
  esac
  [[ "$cur" == -* ]] && COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -o default -F _${NAME.replace(/-/g, '_')} ${NAME}
`;
}

function zsh() {
  const arg = (n) => {
    const o = OPTIONS[n];
    const what = FILE_OPTIONS.includes(n)
      ? ':file:_files'
      : n === 'output'
        ? `:format:(${OUTPUTS.join(' ')})`
        : n === 'language'
          ? ':language:(zh-CN en-US)'
          : o.type === 'string'
            ? `:${n}:`
            : '';
    return `'${o.multiple ? '*' : ''}--${n}[${n}]${what}'`;
  };
  const cases = commandNames
    .map(
      (c) =>
        `    ${c}) _arguments ${[...COMMANDS[c].options, ...GLOBAL].map(arg).join(' ')} ${c === 'completion' ? "'1:shell:(bash zsh)'" : c === 'help' ? `'1:command:(${commandNames.join(' ')})'` : "'*:argument:'"} ;;`,
    )
    .join('\n');
  return `#compdef ${NAME}
# zsh completion for ${NAME}: ${NAME} completion zsh > "\${fpath[1]}/_${NAME}"
_${NAME}() {
  local -a commands
  commands=(${commandNames.join(' ')})
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  local cmd=\${words[2]}
  shift words
  (( CURRENT-- ))
  case $cmd in
${cases}
  esac
}
# Autoloaded from $fpath (as _${NAME}) the file is the function's body; sourced, it registers the function.
if [[ "$funcstack[1]" == _${NAME} ]]; then _${NAME} "$@"; else compdef _${NAME} ${NAME}; fi
`;
}

function completion(values, args) {
  const [shell, ...rest] = args;
  if (rest.length) throw new UsageError(`"completion" takes one shell, got ${args.length}.`);
  if (shell === 'bash') return out(bash());
  if (shell === 'zsh') return out(zsh());
  throw new UsageError(`"completion" needs bash or zsh${shell === undefined ? '' : `, got "${shell}"`}.`);
}

module.exports = { completion, bash, zsh };
