package audit

// Action ids. They are stored in the trail, so an id never changes meaning
// once entries carry it; a new action gets a new id.
const (
	ActionSSNEntered         = "verification.ssn_entered"
	ActionTaxpayerOpened     = "agent.taxpayer_opened"
	ActionDocumentsReviewed  = "agent.documents_reviewed"
	ActionDocumentsApproved  = "agent.documents_approved"
	ActionDocumentsRejected  = "agent.documents_rejected"
	ActionAccountUnlocked    = "agent.account_unlocked"
	ActionIPPINMailed        = "agent.ip_pin_mailed"
	ActionSignInMethodsReset = "agent.sign_in_methods_reset"
	ActionCallerVerified     = "agent.caller_verified"
	ActionCallNoteAdded      = "agent.call_note_added"
	ActionResetRequested     = "agent.sign_in_reset_requested"
	ActionResetDeclined      = "agent.sign_in_reset_declined"
	ActionVideoCallMissed    = "agent.video_call_missed"

	// Staff management; about staff accounts, not shown to taxpayers.
	ActionStaffCreated  = "supervisor.staff_created"
	ActionStaffDisabled = "supervisor.staff_disabled"
)

// descriptions say what each action did, to the taxpayer it was done for.
var descriptions = map[string]string{
	ActionSSNEntered:         "Entered your Social Security number",
	ActionTaxpayerOpened:     "Opened your records",
	ActionDocumentsReviewed:  "Reviewed your identity documents",
	ActionDocumentsApproved:  "Accepted your identity documents",
	ActionDocumentsRejected:  "Turned down your identity documents",
	ActionAccountUnlocked:    "Unlocked your account",
	ActionIPPINMailed:        "Had your IP PIN mailed to you",
	ActionSignInMethodsReset: "Reset your sign-in methods",
	ActionCallerVerified:     "Checked it was you on the phone",
	ActionCallNoteAdded:      "Wrote a note about your call",
	ActionResetRequested:     "Asked for your sign-in methods to be reset",
	ActionResetDeclined:      "Declined a reset of your sign-in methods",
	ActionVideoCallMissed:    "Recorded that you missed your video call",
}

// Describe says in plain words what an action did, addressed to the
// taxpayer whose records it concerned. An action without a description yet
// still reads as something done to the taxpayer's records.
func Describe(action string) string {
	if d, ok := descriptions[action]; ok {
		return d
	}
	return "Worked on your records"
}
