import Numerics

/// The benchmark runner starts like `memoir`: kernels settled first, so results measure what users run.
@main
enum MemoirBenchEntry {
    static func main() {
        BLASKernelSelection.prepareProcess()
        MemoirBench.main()
    }
}
