/// Bit-exact conversions between Float32 and the 16-bit float formats stored in weight files.
public enum HalfPrecision {
    /// IEEE 754 binary16 → Float32 (handles subnormals, infinities and NaN).
    @inline(__always)
    public static func floatFromHalf(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = UInt32(bits >> 10) & 0x1F
        var mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            if mantissa == 0 { return Float(bitPattern: sign) }
            // Subnormal: renormalise.
            var e: UInt32 = 127 - 15 + 1
            while mantissa & 0x400 == 0 { mantissa <<= 1; e -= 1 }
            mantissa &= 0x3FF
            return Float(bitPattern: sign | (e << 23) | (mantissa << 13))
        case 0x1F:
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            return Float(bitPattern: sign | ((exponent + 127 - 15) << 23) | (mantissa << 13))
        }
    }

    /// Float32 → IEEE 754 binary16, rounding to nearest even.
    public static func halfFromFloat(_ value: Float) -> UInt16 {
        Float16(value).bitPattern
    }

    /// bfloat16 → Float32: the top 16 bits of a Float32.
    @inline(__always)
    public static func floatFromBFloat16(_ bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }
}
