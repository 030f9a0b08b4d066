#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RunbookCLI

// The one place the process exits: with the command's status, or at once on a second Ctrl-C during a run.
let context = CommandContext.process(terminate: { exit($0.rawValue) })
let status = await RunbookCLI.run(arguments: Array(CommandLine.arguments.dropFirst()), context: context)
exit(status.rawValue)
