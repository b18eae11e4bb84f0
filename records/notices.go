package records

import "strings"

// Notice is a letter the agency mails, named by the number printed in its
// corner. A 971 transaction carries the number in its note.
type Notice struct {
	Number string
	Plain  string // what it is about and what it asks, in plain words
}

// notices are the ones taxpayers most often ask about.
var notices = map[string]Notice{
	"CP01A":  {"CP01A", "We mailed you this year's Identity Protection PIN. Use it on every return you file this calendar year."},
	"CP05":   {"CP05", "We are checking the income, withholding or credits on your return before we send your refund. You do not need to do anything unless the letter asks you to."},
	"CP05A":  {"CP05A", "We need documents that support what you claimed before we can send your refund. The letter lists them and gives a deadline."},
	"CP11":   {"CP11", "We corrected a mistake in the figures on your return, and you now owe tax. The letter shows the change and how to disagree."},
	"CP12":   {"CP12", "We corrected a mistake on your return, which changed your refund. The letter shows the new amount and how to disagree."},
	"CP14":   {"CP14", "A bill: you have an unpaid balance for this year. The letter shows the amount and the date to pay by."},
	"CP21A":  {"CP21A", "We changed your return as you asked, and you now owe tax. The letter shows the new balance."},
	"CP22A":  {"CP22A", "We changed your return as you asked, for example on an amended return, and you now owe tax. The letter shows the balance and the date to pay by."},
	"CP49":   {"CP49", "We used part or all of your refund to pay a tax balance you owed for another year. The letter shows how much went where."},
	"CP53":   {"CP53", "Your bank could not accept the direct deposit of your refund, so we are mailing a paper check instead."},
	"CP501":  {"CP501", "A reminder that you still have a balance due for this year."},
	"CP503":  {"CP503", "A second reminder of an unpaid balance. Pay it or call to set up a plan to avoid stronger collection steps."},
	"CP504":  {"CP504", "Notice of intent to levy: the balance is still unpaid and we may take part of a future refund or other payments. Act on it right away."},
	"CP2000": {"CP2000", "The income on your return does not match what employers, banks or others reported. The letter proposes a change and asks you to agree or explain by a date."},
	"5071C":  {"5071C", "We need you to confirm your identity before we finish processing your return. The letter says how to do it online or by phone."},
	"4883C":  {"4883C", "We need you to confirm your identity by phone before we finish processing your return. Have the letter and your return at hand when you call."},
	"5747C":  {"5747C", "We need you to confirm your identity in person at a taxpayer assistance center before we finish processing your return."},
}

// LookupNotice finds a notice by the number a 971 note carries ("CP05",
// "cp 05" and "Notice CP05" all match).
func LookupNotice(note string) (Notice, bool) {
	s := strings.ToUpper(strings.TrimSpace(note))
	s = strings.TrimPrefix(s, "NOTICE ")
	s = strings.TrimPrefix(s, "LETTER ")
	s = strings.ReplaceAll(s, " ", "")
	n, ok := notices[s]
	return n, ok
}
