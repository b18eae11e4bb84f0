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
