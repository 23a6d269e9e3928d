// Package detect runs streaming detectors over the events of package flow
// and emits alerts: the attacks and misconfigurations that hit hospital
// networks (scans, DICOM AE title guessing, patient sweeps, archives moved
// to unknown AEs, executables hidden in DICOM objects, clear-text logins,
// SMBv1, tampered HL7 results) and deviations from a learned baseline (new
// devices, peers, services, HL7 senders and AE pairs, volume and rate
// spikes).
//
// An [Engine] is a [flow.Sink]: put it behind a flow.Engine (after an
// inventory, when alerts should name devices) and give it an [AlertSink].
// Detectors keep bounded state, take time from packets only, and so are
// deterministic on a capture; each rule can be turned off or tuned by a
// [Config] (see [ReadConfig] for its file form). Alerts are de-duplicated
// per (rule, source, destination) within a window, with a count.
//
// Baseline detectors learn during a learning period ([Config.Learn]) or an
// explicit phase ([Engine.Learn]); [Engine.WriteBaseline] saves what they
// learned and [Engine.ReadBaseline] loads it into another run.
//
// The engine allocates nothing per event in steady state: an alert is
// built (its text allocated) only when it is emitted, never for a repeat
// folded into a count.
package detect
