import Numerics

/// The process entry: the BLAS kernels are settled (which may restart the process with a better kernel
/// family for this CPU) before any command runs.
@main
enum MemoirEntry {
    static func main() async {
        BLASKernelSelection.prepareProcess()
        await Memoir.main()
    }
}
