import Application
import Cohort
import HTTPTypes
import Hummingbird
import Imaging

/// The viewer's volumes: per case and modality (t1, fa) the slice counts, default window and edge labels,
/// and any slice as a greyscale PNG. Slices of the same volume are cached and rendered concurrently.
struct SliceRoutes {
    let workspace: Workspace

    func register(on router: Router<ServerRequestContext>) {
        router.get("/api/cases/:id/volumes/:modality") { request, context in
            let id = try context.parameters.require("id")
            let modality = try Self.modality(context.parameters.require("modality"))
            let convention = try QueryReader(request).convention()
            return try JSONBody.response(try await Blocking.run { try workspace.slices.info(caseID: id, modality: modality, convention: convention) })
        }
        router.get("/api/cases/:id/volumes/:modality/:plane") { request, context in
            let id = try context.parameters.require("id")
            let modality = try Self.modality(context.parameters.require("modality"))
            let planeName = try context.parameters.require("plane")
            guard let plane = SlicePlane(rawValue: planeName.lowercased()) else {
                throw APIError.badRequest("plane must be axial, coronal or sagittal, got '\(planeName.prefix(40))'")
            }
            let query = QueryReader(request)
            let index = try query.int("index", in: 0...100_000)
            let window = try query.window()
            let convention = try query.convention()
            let rendered = try await Blocking.run {
                try workspace.slices.slice(caseID: id, modality: modality, plane: plane, index: index, window: window, convention: convention)
            }
            let s = rendered.slice
            var headers: HTTPFields = [.contentType: "image/png", .cacheControl: "private, max-age=3600"]
            headers[.sliceIndex] = "\(s.index)"
            headers[.sliceCount] = "\(s.count)"
            headers[.sliceOrientation] = "left=\(s.orientation.left) right=\(s.orientation.right) top=\(s.orientation.top) "
                + "bottom=\(s.orientation.bottom) convention=\(s.orientation.convention.rawValue)"
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: rendered.png)))
        }
    }

    static func modality(_ name: String) throws -> Modality {
        guard let modality = Modality(rawValue: name.lowercased()), modality != .clinical else {
            throw APIError.badRequest("modality must be t1 or fa, got '\(name.prefix(40))'")
        }
        return modality
    }
}

extension HTTPField.Name {
    // Constant, valid header names: the initialiser fails only on characters a token may not hold.
    static let sliceIndex = HTTPField.Name("X-Slice-Index") ?? .contentLocation
    static let sliceCount = HTTPField.Name("X-Slice-Count") ?? .contentLocation
    static let sliceOrientation = HTTPField.Name("X-Slice-Orientation") ?? .contentLocation
}
