// The help texts: the overview, and a page per command with examples (`help reset`, `reset --help`).
'use strict';

const { NAME } = require('./io.cjs');

const SUMMARY = `Commands:
  reset <InstanceId...> [--blueprint ID] [--cli-input-json JSON|@file] [--wait] [--journal FILE]
                          Reinstall the image of one instance or a fleet (the current image without
                          --blueprint) and print the RequestIds; --wait follows the resets until they end.
  wait <InstanceId> [--request-id ID] [--max-wait SECONDS]
                          Wait until the instance's latest reset (or the one with this RequestId)
                          has finished.
  describe [InstanceId...] [--filter NAME=VALUE[,VALUE...]]
                          List instances (all of them, every page, without IDs or filters).
  blueprints [BlueprintId...] [--filter NAME=VALUE[,VALUE...]] | --for INSTANCE
                          List images (blueprints); --for: the ones INSTANCE can be reset to.
  call <Action> [--params JSON|@file]
                          Call any Lighthouse action and print its Response.
  sign --action ACTION [--payload JSON|@file] [--timestamp N] [--host HOST]
                          Print the headers of a signed POST request (Name: value per line).
  whoami [--sts-endpoint URL]
                          Show whose credentials these are (STS GetCallerIdentity) and where the
                          chain found them.
  completion bash|zsh     Print a shell completion script.
  help [COMMAND]          Show this help, or a command's with examples.
`;

const GLOBAL_OPTIONS = `Global options:
  --endpoint URL          API endpoint (default https://lighthouse.tencentcloudapi.com)
  --profile NAME          Credentials of this profile of ~/.tencentcloud/credentials
  --region REGION         X-TC-Region (default $TENCENTCLOUD_REGION)
  --language LANG         zh-CN or en-US: the language of the API's messages (default from LANG:
                          zh-CN for zh_CN*, else en-US)
  --timeout SECONDS       Timeout of each HTTP attempt
  -o, --output FORMAT     json (one document), table (for people) or text (tab-separated, no header,
                          "-" for an empty value); default table (call: json)
  --json                  The same as --output json (errors: {"error": {...}})
  --debug                 Log each request the client makes (attempts, retries, waits) on stderr;
                          never a secret, token, signature or body
  -h, --help              Show help (with a command: that command's)
  -v, --version           Show the version
`;

const FOOTER = `Credentials come from the first of: TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY (and
TENCENTCLOUD_SESSION_TOKEN); the [default] profile (or --profile NAME) of ~/.tencentcloud/credentials
or /etc/tencentcloud/credentials; TKE OIDC (TKE_* variables); the CVM/Lighthouse instance's role.

Exit status: 0 success, 1 API or client error (or any instance of a fleet failed), 2 usage error,
130 interrupted.
`;

const USAGE = `Usage: ${NAME} <command> [options]

${SUMMARY}
${GLOBAL_OPTIONS}
Options of reset and wait:
  --blueprint ID          reset: the image to install
  --cli-input-json JSON|@file
                          reset: a whole ResetInstanceRequest (BlueprintId, Containers,
                          LoginConfiguration); IDs and --blueprint override it; @- reads stdin
  --wait                  reset: wait for the resets to finish (progress on stderr)
  --journal FILE          reset: record the fleet's resets in FILE; run again, none is sent twice
  --concurrency N         reset: resets in flight at once (default 10)
  --request-id ID         wait: the reset's RequestId
  --max-wait SECONDS      reset --wait, wait: give up after this long (default 1200)
  --min-delay SECONDS     reset --wait, wait: shortest pause between polls (default 5)
  --max-delay SECONDS     reset --wait, wait: longest pause between polls (default 30)
Options of the other commands:
  --filter NAME=VALUE     describe, blueprints: repeatable; VALUE,VALUE gives several values
  --for INSTANCE          blueprints: the images INSTANCE can be reset to, and why not the others
  --params JSON|@file     call: the action's parameters (default {}); @- reads stdin
  --payload JSON|@file    sign: the exact request body (default {}); @- reads stdin
  --timestamp N           sign: Unix seconds (default now)
  --host HOST             sign: the Host header (default: the endpoint's host)

--json documents: reset: {"RequestId"} (with --wait also "Instance"; a fleet: {"Results": [...]});
wait: the Instance; describe, blueprints, call: the API's Response; sign: the signature with every
stage and "headers"; errors: {"error": {"code", "message", "kind", "retryable"}}, with "requestId",
"httpStatus" and "action" when known.

${FOOTER}
Run '${NAME} help COMMAND' for a command's options and examples.
`;

const PAGES = {
  reset: `Usage: ${NAME} reset <InstanceId...> [options]

Reinstall the system disk of one instance or of several (a fleet). Prints the RequestId of the reset;
with --wait, follows it (a live line per instance on a terminal, one line per change otherwise, on
stderr) and prints how it ended. A fleet prints one result row per instance and exits 1 if any failed.

Options:
  --blueprint ID            The image to install (default: the current one)
  --cli-input-json JSON|@file
                            A whole ResetInstanceRequest: InstanceId, BlueprintId, Containers,
                            LoginConfiguration. IDs on the command line and --blueprint override it.
  --wait                    Wait for the resets to finish
  --max-wait, --min-delay, --max-delay SECONDS   How long and how often to poll (with --wait)
  --concurrency N           Fleet: resets in flight at once (default 10)
  --journal FILE            Fleet: record each reset in FILE; run the same command again after a crash
                            or Ctrl-C and no instance is reset twice

Examples:
  ${NAME} reset lhins-ruy9d2tw --blueprint lhbp-5e8807lo --wait
  ${NAME} reset lhins-ruy9d2tw lhins-abcd1234 --wait --journal resets.jsonl
  ${NAME} reset lhins-ruy9d2tw --cli-input-json @reset.json
  echo '{"LoginConfiguration": {"KeyIds": ["lhkp-abcd1234"]}}' | ${NAME} reset lhins-ruy9d2tw --cli-input-json @-
  ${NAME} reset lhins-ruy9d2tw --output json | jq -r .RequestId
  Resume a wait: ${NAME} wait lhins-ruy9d2tw --request-id <RequestId>
`,
  wait: `Usage: ${NAME} wait <InstanceId> [--request-id ID] [options]

Wait until the instance's latest reset (or the one with this RequestId) has finished; progress on
stderr. Exits 1 if it FAILED or the wait ran out (--max-wait).

Options:
  --request-id ID           Only this reset counts (the RequestId reset printed)
  --max-wait SECONDS        Give up after this long (default 1200)
  --min-delay, --max-delay SECONDS   Pauses between polls (default 5 to 30)

Examples:
  ${NAME} wait lhins-ruy9d2tw
  ${NAME} wait lhins-ruy9d2tw --request-id 9e4c2a61-5b3d-4f8e-a172-6c0d8e9b3a45 --max-wait 600
`,
  describe: `Usage: ${NAME} describe [InstanceId...] [--filter NAME=VALUE[,VALUE...]]...

List instances: those given, or every instance matching the filters (all of them without any), every
page. Filters: instance-name, instance-state, zone, public-ip-address, private-ip-address, tag-key,
tag-value, tag:<key>, bundle-id. A NAME given twice gathers its values.

Examples:
  ${NAME} describe
  ${NAME} describe lhins-ruy9d2tw lhins-abcd1234
  ${NAME} describe --filter instance-state=RUNNING,STOPPED --filter zone=ap-guangzhou-3
  ${NAME} describe --output text | cut -f1,3
`,
  blueprints: `Usage: ${NAME} blueprints [BlueprintId...] [--filter NAME=VALUE[,VALUE...]]...
       ${NAME} blueprints --for INSTANCE

List images (blueprints), every page. Filters: blueprint-id, blueprint-type, platform-type,
blueprint-name, blueprint-state, scene-id. With --for, the images INSTANCE can be reset to
(DescribeResetInstanceBlueprints): each with RESETTABLE yes or no, and the service's reason when not.

Examples:
  ${NAME} blueprints --filter platform-type=LINUX_UNIX
  ${NAME} blueprints lhbp-5e8807lo --output json
  ${NAME} blueprints --for lhins-ruy9d2tw
`,
  call: `Usage: ${NAME} call <Action> [--params JSON|@file]

Call any Lighthouse action (signed, retried, rate-limited like the rest) and print its Response:
JSON by default; --output table or text show its first list of objects (or its fields).

Examples:
  ${NAME} call DescribeRegions
  ${NAME} call DescribeInstances --params '{"Limit": 5}' --output table
  ${NAME} call DescribeResetInstanceBlueprints --params @params.json
`,
  sign: `Usage: ${NAME} sign --action ACTION [--payload JSON|@file] [--timestamp N] [--host HOST]

Print the headers of a signed POST request (Name: value per line), for another HTTP client.

Examples:
  ${NAME} sign --action DescribeInstances --region ap-guangzhou
  ${NAME} sign --action DescribeInstances --payload @body.json --output json
`,
  whoami: `Usage: ${NAME} whoami [--sts-endpoint URL] [--profile NAME]

Calls STS GetCallerIdentity with the credentials the chain picked (or --profile's) and prints the identity
(Arn, account, UserId, type), which step of the chain gave them, and the SecretId masked.

Examples:
  ${NAME} whoami
  ${NAME} whoami --profile ops --output json
`,
  completion: `Usage: ${NAME} completion bash|zsh

Print a completion script for the shell.

Examples:
  source <(${NAME} completion bash)          # in ~/.bashrc
  ${NAME} completion zsh > "\${fpath[1]}/_${NAME}"
`,
};

/** A command's page, then what every page shares: the commands, the global options, credentials and exit status. */
function commandHelp(command) {
  const page = PAGES[command];
  if (!page) return USAGE;
  return `${page}\n${GLOBAL_OPTIONS}\n${SUMMARY}\n${FOOTER}`;
}

module.exports = { USAGE, PAGES, commandHelp };
