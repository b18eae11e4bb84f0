package models_test

import (
	"testing"
	"time"

	"github.com/taxportal/portal/models"
	"github.com/taxportal/portal/portaltest"
)

func TestAttemptsCountInTheirWindowAndClear(t *testing.T) {
	db := portaltest.DB(t)
	ctx := t.Context()
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := range 3 {
		if err := models.RecordAttempt(ctx, db, t0.Add(time.Duration(i)*10*time.Second), "pw:a", "pw:ip"); err != nil {
			t.Fatal(err)
		}
	}
	st, err := models.CountAttempts(ctx, db, "pw:a", t0.Add(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if st.Count != 2 || !st.Oldest.Equal(t0.Add(10*time.Second)) || !st.Newest.Equal(t0.Add(20*time.Second)) {
		t.Errorf("stats %+v", st)
	}
	if err := models.ClearAttempts(ctx, db, "pw:a"); err != nil {
		t.Fatal(err)
	}
	if st, _ := models.CountAttempts(ctx, db, "pw:a", t0.Add(-time.Hour)); st.Count != 0 {
		t.Errorf("cleared key still counts %d", st.Count)
	}
	if st, _ := models.CountAttempts(ctx, db, "pw:ip", t0.Add(-time.Hour)); st.Count != 3 {
		t.Errorf("other key lost attempts: %d", st.Count)
	}
	if n, _ := models.DeleteAttemptsBefore(ctx, db, t0.Add(15*time.Second)); n != 2 {
		t.Errorf("deleted %d old attempts, want 2", n)
	}
}
