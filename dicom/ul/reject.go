package ul

// Reject is an A-ASSOCIATE-RJ PDU (PS3.8 section 9.3.4).
type Reject struct {
	Result, Source, Reason uint8
}

// ParseReject decodes the body of an A-ASSOCIATE-RJ PDU.
func ParseReject(body []byte) (Reject, error) {
	if len(body) < 4 {
		return Reject{}, &Error{Offset: HeaderLen + int64(len(body)), Err: ErrTruncated}
	}
	return Reject{Result: body[1], Source: body[2], Reason: body[3]}, nil
}

// ResultString returns "rejected-permanent" or "rejected-transient".
func (r Reject) ResultString() string {
	switch r.Result {
	case 1:
		return "rejected-permanent"
	case 2:
		return "rejected-transient"
	}
	return "unknown"
}

// SourceString names who rejected the association.
func (r Reject) SourceString() string {
	switch r.Source {
	case 1:
		return "service-user"
	case 2:
		return "service-provider-acse"
	case 3:
		return "service-provider-presentation"
	}
	return "unknown"
}

// ReasonString names the reason, which depends on the source.
func (r Reject) ReasonString() string {
	switch r.Source {
	case 1:
		switch r.Reason {
		case 1:
			return "no-reason-given"
		case 2:
			return "application-context-name-not-supported"
		case 3:
			return "calling-ae-title-not-recognized"
		case 7:
			return "called-ae-title-not-recognized"
		}
	case 2:
		switch r.Reason {
		case 1:
			return "no-reason-given"
		case 2:
			return "protocol-version-not-supported"
		}
	case 3:
		switch r.Reason {
		case 1:
			return "temporary-congestion"
		case 2:
			return "local-limit-exceeded"
		}
	}
	return "unknown"
}

// Abort is an A-ABORT PDU (PS3.8 section 9.3.8).
type Abort struct {
	Source, Reason uint8
}

// ParseAbort decodes the body of an A-ABORT PDU.
func ParseAbort(body []byte) (Abort, error) {
	if len(body) < 4 {
		return Abort{}, &Error{Offset: HeaderLen + int64(len(body)), Err: ErrTruncated}
	}
	return Abort{Source: body[2], Reason: body[3]}, nil
}

// SourceString returns "service-user" or "service-provider".
func (a Abort) SourceString() string {
	switch a.Source {
	case 0:
		return "service-user"
	case 2:
		return "service-provider"
	}
	return "unknown"
}

// ReasonString names the reason of a provider-initiated abort.
func (a Abort) ReasonString() string {
	if a.Source != 2 {
		return "not-specified"
	}
	switch a.Reason {
	case 0:
		return "not-specified"
	case 1:
		return "unrecognized-pdu"
	case 2:
		return "unexpected-pdu"
	case 4:
		return "unrecognized-pdu-parameter"
	case 5:
		return "unexpected-pdu-parameter"
	case 6:
		return "invalid-pdu-parameter-value"
	}
	return "unknown"
}
