import Foundation

/// Applies `BLASKernelPlan` to this process. OpenBLAS reads OPENBLAS_CORETYPE once, when the library loads,
/// so a better family is selected by re-executing the program with the variable set (before anything is
/// printed or read). The restarted process checks the selected kernels against a reference GEMM and, if they
/// fail, restarts once more with the library's own pick. `MEMOIR_BLAS_SELECTION` carries what happened
/// across the restarts (and into `memoir doctor`); it also stops any loop.
public enum BLASKernelSelection {
    static let marker = "MEMOIR_BLAS_SELECTION"

    /// How the kernels in use were chosen.
    public enum Origin: Equatable, Sendable {
        case library
        case environment
        /// Memoir selected `name`; OpenBLAS's own pick was `libraryChoice`.
        case selected(name: String, libraryChoice: String)
        /// Memoir selected `name`, the self-check failed, and the library's pick is in use.
        case rejected(name: String, reason: String)
    }

    /// Call first thing in `main`: may replace the process (execv) and so never return.
    public static func prepareProcess() {
        var environment = ProcessInfo.processInfo.environment
        let previous = environment[marker] ?? ""
        if previous.hasPrefix("selected:") {
            // We restarted ourselves with a selected family: keep it only if it computes correctly.
            let check = BLASSelfCheck.run()
            guard !check.passed else { return }
            environment["OPENBLAS_CORETYPE"] = nil
            environment[marker] = "rejected:\(BLAS.coreName):max relative error \(check.maxRelativeError)"
            restart(environment)
            return
        }
        if previous.hasPrefix("rejected:") || previous == "off" { return }
        // Tests stand in for a CPU OpenBLAS does not know (this hook changes only what its pick is taken to be).
        let libraryPick = environment["MEMOIR_BLAS_ASSUME_LIBRARY_PICK"] ?? BLAS.coreName
        guard case let .select(name) = BLASKernelPlan.decide(cpu: .current, libraryCoreName: libraryPick, environment: environment) else {
            return
        }
        environment["OPENBLAS_CORETYPE"] = name
        environment[marker] = "selected:\(name):\(libraryPick)"
        restart(environment)
    }

    /// How this process's kernels were chosen (read from the environment the restarts left).
    public static func origin(environment: [String: String] = ProcessInfo.processInfo.environment) -> Origin {
        let value = environment[marker] ?? ""
        let parts = value.split(separator: ":", maxSplits: 2).map(String.init)
        if parts.first == "selected", parts.count == 3, environment["OPENBLAS_CORETYPE"] == parts[1] {
            return .selected(name: parts[1], libraryChoice: parts[2])
        }
        if parts.first == "rejected", parts.count == 3 { return .rejected(name: parts[1], reason: parts[2]) }
        if let forced = environment["OPENBLAS_CORETYPE"], !forced.isEmpty { return .environment }
        return .library
    }

    /// One line for `--version` and logs: the family in use and why.
    public static func summary() -> String {
        switch origin() {
        case .library: "\(BLAS.coreName) (OpenBLAS's own choice)"
        case .environment: "\(BLAS.coreName) (forced by OPENBLAS_CORETYPE)"
        case let .selected(name, library): "\(name) (selected by Memoir from the CPU's flags; OpenBLAS alone picked \(library))"
        case let .rejected(name, reason): "\(BLAS.coreName) (Memoir's choice \(name) failed the self-check: \(reason))"
        }
    }

    /// Replaces this process with itself under `environment`; returns only if that fails (the current kernels stay).
    private static func restart(_ environment: [String: String]) {
        let arguments = CommandLine.arguments.map { strdup($0) } + [nil]
        let variables = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        execve("/proc/self/exe", arguments, variables)
        // execve returned: it failed. Run on with the library's kernels rather than stop.
        for pointer in arguments + variables { free(pointer) }
    }
}
