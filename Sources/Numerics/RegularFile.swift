#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Opens and reads only regular files. A directory, FIFO, socket, device or symbolic-link loop is
/// refused with a clear reason before anything blocks on it (opening a FIFO for reading waits for a
/// writer; reading a character device may never end).
public enum RegularFile {
    /// An open, read-only descriptor for the regular file at `path`, and its size; the caller closes it.
    public static func descriptor(_ path: String) throws -> (descriptor: Int32, size: Int) {
        // stat first, so a device or FIFO is never opened at all.
        var info = stat()
        guard stat(path, &info) == 0 else { throw MappedFileError(path: path, reason: reason(errno)) }
        try requireRegular(info, path: path)
        // O_NONBLOCK: if the path was swapped for a FIFO since stat, open still returns at once.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw MappedFileError(path: path, reason: reason(errno)) }
        do {
            guard fstat(fd, &info) == 0 else { throw MappedFileError(path: path, reason: reason(errno)) }
            try requireRegular(info, path: path)
        } catch {
            close(fd)
            throw error
        }
        return (fd, Int(info.st_size))
    }

    /// The whole file, refused when larger than `maxBytes` (so a hostile size cannot exhaust memory).
    public static func contents(_ path: String, maxBytes: Int) throws -> Data {
        let (fd, size) = try descriptor(path)
        defer { close(fd) }
        guard size <= maxBytes else {
            throw MappedFileError(path: path, reason: "file is \(size) bytes, more than the \(maxBytes)-byte limit for this kind of file")
        }
        var data = Data(count: size)
        var filled = 0
        try data.withUnsafeMutableBytes { (raw: UnsafeMutableRawBufferPointer) in
            while filled < size {
                let n = read(fd, raw.baseAddress! + filled, size - filled)
                if n < 0, errno == EINTR { continue }
                guard n >= 0 else { throw MappedFileError(path: path, reason: reason(errno)) }
                if n == 0 { break }  // shrank since fstat: keep what is there
                filled += n
            }
        }
        return data.prefix(filled)
    }

    private static func requireRegular(_ info: stat, path: String) throws {
        let kind: String
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: kind = "a directory"
        case S_IFIFO: kind = "a FIFO (named pipe)"
        case S_IFCHR: kind = "a character device"
        case S_IFBLK: kind = "a block device"
        case S_IFSOCK: kind = "a socket"
        default: kind = "an unknown kind of file"
        }
        throw MappedFileError(path: path, reason: "is \(kind), not a regular file")
    }

    private static func reason(_ code: Int32) -> String {
        code == ELOOP ? "symbolic link loop (too many levels of symbolic links)" : String(cString: strerror(code))
    }
}
