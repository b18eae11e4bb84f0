package jobs

import (
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river/rivertype"
)

// retryPolicy waits RetryFirst after a first failure and twice as long
// after each next one, up to RetryMax, give or take a tenth at random so
// that the messages held up by one outage do not all hit the mail server
// in the same second when it comes back.
type retryPolicy struct{ s Settings }

func (p retryPolicy) NextRetry(job *rivertype.JobRow) time.Time {
	d := backoff(p.s, job.Attempt)
	d += time.Duration((rand.Float64()*0.2 - 0.1) * float64(d))
	return time.Now().Add(d)
}

// backoff is the wait after the attempt-th failed try, without the jitter.
func backoff(s Settings, attempt int) time.Duration {
	d := s.RetryFirst
	for i := 1; i < attempt && d < s.RetryMax; i++ {
		d *= 2
	}
	return min(d, s.RetryMax)
}
