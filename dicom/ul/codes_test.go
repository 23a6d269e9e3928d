package ul

import (
	"errors"
	"fmt"
	"testing"
)

// TestCodeStrings pins the names of the wire codes. The names of
// presentation context results, user identity types, rejections and aborts,
// statuses and commands appear in medtap's events and must not change;
// "unknown" is what those print for a value PS3.8 does not define.
func TestCodeStrings(t *testing.T) {
	tests := []struct {
		got  fmt.Stringer
		want string
	}{
		{ResultAcceptance, "acceptance"},
		{ResultUserRejection, "user-rejection"},
		{ResultNoReason, "no-reason"},
		{ResultAbstractSyntaxNotSupported, "abstract-syntax-not-supported"},
		{ResultTransferSyntaxesNotSupported, "transfer-syntaxes-not-supported"},
		{ContextResult(5), "unknown"},
		{IdentityUsername, "username"},
		{IdentityUsernamePassword, "username-password"},
		{IdentityKerberos, "kerberos"},
		{IdentitySAML, "saml"},
		{IdentityJWT, "jwt"},
		{IdentityType(0), "unknown"},
		{RejectedPermanent, "rejected-permanent"},
		{RejectedTransient, "rejected-transient"},
		{RejectResult(0), "unknown"},
		{RejectServiceUser, "service-user"},
		{RejectServiceProviderACSE, "service-provider-acse"},
		{RejectServiceProviderPresentation, "service-provider-presentation"},
		{RejectSource(4), "unknown"},
		{RejectReason(7), "RejectReason(7)"},
		{AbortServiceUser, "service-user"},
		{AbortServiceProvider, "service-provider"},
		{AbortSource(1), "unknown"},
		{AbortNotSpecified, "not-specified"},
		{AbortUnrecognizedPDU, "unrecognized-pdu"},
		{AbortUnexpectedPDU, "unexpected-pdu"},
		{AbortUnrecognizedPDUParameter, "unrecognized-pdu-parameter"},
		{AbortUnexpectedPDUParameter, "unexpected-pdu-parameter"},
		{AbortInvalidPDUParameterValue, "invalid-pdu-parameter-value"},
		{AbortReason(3), "unknown"},
		{ItemUserInformation, "user-information"},
		{ItemCommonExtended, "sop-class-common-extended-negotiation"},
		{ItemType(0x77), "ItemType(0x77)"},
		{RoleUnsupported, "unsupported"},
		{RoleSupported, "supported"},
		{RoleSupport(2), "RoleSupport(2)"},
		{Control(0), "dataset"},
		{ControlLast, "dataset|last"},
		{ControlCommand, "command"},
		{ControlCommand | ControlLast, "command|last"},
		{Control(9), "Control(0x9)"},
		{PriorityMedium, "medium"},
		{PriorityHigh, "high"},
		{PriorityLow, "low"},
		{Priority(3), "Priority(3)"},
		{Status(0x0000), "success"},
		{Status(0xA700), "out-of-resources"},
		{Status(0xC123), "failure"},
		{Status(0xB123), "warning"},
		{CategoryPending, "pending"},
		{StatusCategory(0), "StatusCategory(0)"},
		{TypeAssociateRJ, "A-ASSOCIATE-RJ"},
		{Type(9), "PDU(0x9)"},
		{CFindRSP, "C-FIND-RSP"},
		{Command(0x0ABC), "DIMSE(0xabc)"},
		{EventAssociateRJ, "associate-rj"},
		{EventKind(99), "unknown"},
	}
	for _, tt := range tests {
		if s := tt.got.String(); s != tt.want {
			t.Errorf("%T(%d).String() = %q, want %q", tt.got, tt.got, s, tt.want)
		}
	}
}

func TestReasonString(t *testing.T) {
	tests := []struct {
		r    Reject
		want string
	}{
		{Reject{Source: RejectServiceUser, Reason: ReasonUserNoReasonGiven}, "no-reason-given"},
		{Reject{Source: RejectServiceUser, Reason: ReasonApplicationContextNameNotSupported}, "application-context-name-not-supported"},
		{Reject{Source: RejectServiceUser, Reason: ReasonCallingAETitleNotRecognized}, "calling-ae-title-not-recognized"},
		{Reject{Source: RejectServiceUser, Reason: ReasonCalledAETitleNotRecognized}, "called-ae-title-not-recognized"},
		{Reject{Source: RejectServiceUser, Reason: 4}, "unknown"},
		{Reject{Source: RejectServiceProviderACSE, Reason: ReasonACSENoReasonGiven}, "no-reason-given"},
		{Reject{Source: RejectServiceProviderACSE, Reason: ReasonProtocolVersionNotSupported}, "protocol-version-not-supported"},
		{Reject{Source: RejectServiceProviderACSE, Reason: 3}, "unknown"},
		{Reject{Source: RejectServiceProviderPresentation, Reason: ReasonTemporaryCongestion}, "temporary-congestion"},
		{Reject{Source: RejectServiceProviderPresentation, Reason: ReasonLocalLimitExceeded}, "local-limit-exceeded"},
		{Reject{Source: RejectServiceProviderPresentation, Reason: 7}, "unknown"},
		{Reject{Source: 0, Reason: 1}, "unknown"},
	}
	for _, tt := range tests {
		if got := tt.r.ReasonString(); got != tt.want {
			t.Errorf("%+v: ReasonString() = %q, want %q", tt.r, got, tt.want)
		}
	}
	for _, tt := range []struct {
		a    Abort
		want string
	}{
		{Abort{Source: AbortServiceUser, Reason: AbortUnexpectedPDU}, "not-specified"},
		{Abort{Source: AbortServiceProvider, Reason: AbortUnexpectedPDU}, "unexpected-pdu"},
		{Abort{Source: AbortServiceProvider, Reason: 3}, "unknown"},
		{Abort{Source: 1, Reason: 2}, "not-specified"},
	} {
		if got := tt.a.ReasonString(); got != tt.want {
			t.Errorf("%+v: ReasonString() = %q, want %q", tt.a, got, tt.want)
		}
	}
}

// TestRejectAbortRoundTrip builds and parses A-ASSOCIATE-RJ and A-ABORT.
func TestRejectAbortRoundTrip(t *testing.T) {
	r := Reject{Result: RejectedTransient, Source: RejectServiceProviderPresentation, Reason: ReasonLocalLimitExceeded}
	pdu := AppendReject(nil, r)
	if got, err := ParseReject(pdu[HeaderLen:]); err != nil || got != r {
		t.Errorf("reject: %+v %v", got, err)
	}
	ab := Abort{Source: AbortServiceProvider, Reason: AbortInvalidPDUParameterValue}
	pdu = AppendAbort(nil, ab)
	if got, err := ParseAbort(pdu[HeaderLen:]); err != nil || got != ab {
		t.Errorf("abort: %+v %v", got, err)
	}
	_, err := ParseAbort(pdu[HeaderLen : HeaderLen+3])
	var off interface{ ByteOffset() int64 }
	if !errors.Is(err, ErrTruncated) || !errors.As(err, &off) || off.ByteOffset() != HeaderLen+3 {
		t.Errorf("truncated abort: %v", err)
	}
}
