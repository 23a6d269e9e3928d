package ul

// Reject is an A-ASSOCIATE-RJ PDU (PS3.8 section 9.3.4).
type Reject struct {
	Result RejectResult
	Source RejectSource
	// Reason means different things for each Source: see
	// [Reject.ReasonString].
	Reason RejectReason
}

// ParseReject decodes the body of an A-ASSOCIATE-RJ PDU.
func ParseReject(body []byte) (Reject, error) {
	if len(body) < 4 {
		return Reject{}, &Error{Offset: HeaderLen + int64(len(body)), Err: ErrTruncated}
	}
	return Reject{Result: RejectResult(body[1]), Source: RejectSource(body[2]), Reason: RejectReason(body[3])}, nil
}

// RejectResult is the result field of an A-ASSOCIATE-RJ.
type RejectResult uint8

// The A-ASSOCIATE-RJ results.
const (
	RejectedPermanent RejectResult = 1
	RejectedTransient RejectResult = 2
)

// String returns "rejected-permanent", "rejected-transient" or, for another
// value, "unknown".
func (r RejectResult) String() string {
	return nameOrUnknown([]string{RejectedPermanent: "rejected-permanent", RejectedTransient: "rejected-transient"}, int(r))
}

// RejectSource says who rejected an association.
type RejectSource uint8

// The A-ASSOCIATE-RJ sources.
const (
	RejectServiceUser                 RejectSource = 1
	RejectServiceProviderACSE         RejectSource = 2
	RejectServiceProviderPresentation RejectSource = 3
)

// String returns "service-user", "service-provider-acse",
// "service-provider-presentation" or, for another value, "unknown".
func (s RejectSource) String() string {
	return nameOrUnknown([]string{
		RejectServiceUser:                 "service-user",
		RejectServiceProviderACSE:         "service-provider-acse",
		RejectServiceProviderPresentation: "service-provider-presentation",
	}, int(s))
}

// RejectReason is the reason field of an A-ASSOCIATE-RJ. Its meaning
// depends on the source, so the same value has several names; the
// constants are named for their source.
type RejectReason uint8

// The A-ASSOCIATE-RJ reasons, per source.
const (
	// RejectServiceUser.
	ReasonUserNoReasonGiven                  RejectReason = 1
	ReasonApplicationContextNameNotSupported RejectReason = 2
	ReasonCallingAETitleNotRecognized        RejectReason = 3
	ReasonCalledAETitleNotRecognized         RejectReason = 7
	// RejectServiceProviderACSE.
	ReasonACSENoReasonGiven           RejectReason = 1
	ReasonProtocolVersionNotSupported RejectReason = 2
	// RejectServiceProviderPresentation.
	ReasonTemporaryCongestion RejectReason = 1
	ReasonLocalLimitExceeded  RejectReason = 2
)

// String returns the value in the form "RejectReason(7)": a reason is named
// only together with its source, by [Reject.ReasonString].
func (r RejectReason) String() string { return nameOrValue(nil, int(r), "RejectReason", false) }

// ReasonString names the reason for the source: for example
// "calling-ae-title-not-recognized" from the service user,
// "protocol-version-not-supported" from the ACSE service provider; "unknown"
// for a value the source does not define.
func (r Reject) ReasonString() string {
	return nameOrUnknown(codeNames(rejectReasonNames[:], int(r.Source)), int(r.Reason))
}

// rejectReasonNames holds the reason names per source.
var rejectReasonNames = [...][]string{
	RejectServiceUser: {
		ReasonUserNoReasonGiven:                  "no-reason-given",
		ReasonApplicationContextNameNotSupported: "application-context-name-not-supported",
		ReasonCallingAETitleNotRecognized:        "calling-ae-title-not-recognized",
		ReasonCalledAETitleNotRecognized:         "called-ae-title-not-recognized",
	},
	RejectServiceProviderACSE: {
		ReasonACSENoReasonGiven:           "no-reason-given",
		ReasonProtocolVersionNotSupported: "protocol-version-not-supported",
	},
	RejectServiceProviderPresentation: {
		ReasonTemporaryCongestion: "temporary-congestion",
		ReasonLocalLimitExceeded:  "local-limit-exceeded",
	},
}

// Abort is an A-ABORT PDU (PS3.8 section 9.3.8).
type Abort struct {
	Source AbortSource
	// Reason is significant only when Source is AbortServiceProvider: see
	// [Abort.ReasonString].
	Reason AbortReason
}

// ParseAbort decodes the body of an A-ABORT PDU.
func ParseAbort(body []byte) (Abort, error) {
	if len(body) < 4 {
		return Abort{}, &Error{Offset: HeaderLen + int64(len(body)), Err: ErrTruncated}
	}
	return Abort{Source: AbortSource(body[2]), Reason: AbortReason(body[3])}, nil
}

// AbortSource says who aborted an association.
type AbortSource uint8

// The A-ABORT sources (1 is reserved).
const (
	AbortServiceUser     AbortSource = 0
	AbortServiceProvider AbortSource = 2
)

// String returns "service-user", "service-provider" or, for another value,
// "unknown".
func (s AbortSource) String() string {
	return nameOrUnknown([]string{AbortServiceUser: "service-user", AbortServiceProvider: "service-provider"}, int(s))
}

// AbortReason is the reason of an abort initiated by the service provider.
type AbortReason uint8

// The A-ABORT reasons (3 is reserved).
const (
	AbortNotSpecified             AbortReason = 0
	AbortUnrecognizedPDU          AbortReason = 1
	AbortUnexpectedPDU            AbortReason = 2
	AbortUnrecognizedPDUParameter AbortReason = 4
	AbortUnexpectedPDUParameter   AbortReason = 5
	AbortInvalidPDUParameterValue AbortReason = 6
)

// String returns the reason's name, such as "unexpected-pdu", or "unknown"
// for a value PS3.8 does not define.
func (r AbortReason) String() string { return nameOrUnknown(abortReasonNames[:], int(r)) }

var abortReasonNames = [...]string{
	AbortNotSpecified:             "not-specified",
	AbortUnrecognizedPDU:          "unrecognized-pdu",
	AbortUnexpectedPDU:            "unexpected-pdu",
	AbortUnrecognizedPDUParameter: "unrecognized-pdu-parameter",
	AbortUnexpectedPDUParameter:   "unexpected-pdu-parameter",
	AbortInvalidPDUParameterValue: "invalid-pdu-parameter-value",
}

// ReasonString names the reason of a provider-initiated abort
// (Reason.String()); for any other source, whose reason field is not
// significant, it returns "not-specified".
func (a Abort) ReasonString() string {
	if a.Source != AbortServiceProvider {
		return "not-specified"
	}
	return a.Reason.String()
}
