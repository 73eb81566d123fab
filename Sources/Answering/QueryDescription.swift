import Cohort
import FusedEncoder

/// The query case as the reranker and the LLM see it: its caption without the diagnosis being asked
/// about and without CDR-SB (which all but states it), limited to the modalities in use.
public enum QueryDescription {
    public static func text(for stored: StoredCase, modalities: ModalitySet) -> String {
        var record = stored.record
        record.cdrsb = nil
        var measures = stored.measures
        if !modalities.contains(.clinical) {
            record.mmse = nil
            record.adas11 = nil
            record.adas13 = nil
            record.moca = nil
            record.apoe = nil
        }
        if !modalities.contains(.t1) {
            record.t1Path = nil
            measures.brainParenchymalFraction = nil
        }
        if !modalities.contains(.fa) {
            record.faPath = nil
            measures.whiteMatterFA = nil
        }
        return CaptionWriter.caption(record, measures: measures, includeDiagnosis: false)
            .replacingOccurrences(of: "CDR-SB was not recorded. ", with: "")
    }
}
