package helpcenter

import (
	"math"
	"sort"
	"strings"
	"unicode"
)

// Field weights: a word in the title says more about an article than the same
// word deep in its body.
const (
	weightTitle    = 8.0
	weightKeywords = 5.0
	weightSummary  = 3.0
	weightBody     = 1.0
)

// Result is one search hit.
type Result struct {
	Article *Article
	Score   float64
}

type posting struct {
	article int
	weight  float64
}

// index maps each stemmed term to the articles that contain it, with a
// field-weighted, length-dampened term frequency. The vocabulary is kept
// sorted so the last word typed can match as a prefix ("verif" finds
// "verification") while someone is still typing.
type index struct {
	articles []*Article
	postings map[string][]posting
	vocab    []string
}

func buildIndex(articles []*Article) *index {
	ix := &index{articles: articles, postings: map[string][]posting{}}
	for i, a := range articles {
		weights := map[string]float64{}
		addField := func(text string, w float64) {
			for _, t := range tokenize(text) {
				weights[t] += w
			}
		}
		addField(a.Title, weightTitle)
		addField(strings.Join(a.Keywords, " "), weightKeywords)
		addField(a.Summary, weightSummary)
		addField(a.Text, weightBody)
		for t, w := range weights {
			// log dampening: the tenth mention of a word adds little
			ix.postings[t] = append(ix.postings[t], posting{i, 1 + math.Log(w)})
		}
	}
	for t := range ix.postings {
		ix.vocab = append(ix.vocab, t)
	}
	sort.Strings(ix.vocab)
	return ix
}

// Search ranks articles for a free-text query, best first, at most limit.
// Every query word must match (AND), so adding words narrows the results.
func (c *Center) Search(query string, limit int) []Result {
	terms := tokenize(query)
	if len(terms) == 0 {
		return nil
	}
	ix := c.index
	n := float64(len(ix.articles))
	scores := map[int]float64{}
	matched := map[int]int{}
	for i, term := range terms {
		expanded := []string{term}
		if i == len(terms)-1 && !strings.HasSuffix(query, " ") {
			expanded = ix.withPrefix(term)
		}
		// An article scores by its best form of the word; rarity (idf) is
		// judged for the word as typed, across all its forms, so a rare
		// completion cannot outrank the word itself.
		best := map[int]float64{}
		for _, t := range expanded {
			exact := 1.0
			if t != term {
				exact = 0.8
			}
			for _, p := range ix.postings[t] {
				best[p.article] = math.Max(best[p.article], p.weight*exact)
			}
		}
		idf := math.Log(1 + n/float64(max(1, len(best))))
		for a, s := range best {
			scores[a] += s * idf
			matched[a]++
		}
	}
	phrase := strings.ToLower(strings.TrimSpace(query))
	var results []Result
	for a, s := range scores {
		if matched[a] < len(terms) {
			continue
		}
		if len(terms) > 1 && strings.Contains(strings.ToLower(ix.articles[a].Title), phrase) {
			s *= 1.5
		}
		results = append(results, Result{ix.articles[a], s})
	}
	sort.Slice(results, func(i, j int) bool {
		if results[i].Score != results[j].Score {
			return results[i].Score > results[j].Score
		}
		return results[i].Article.Title < results[j].Article.Title
	})
	if len(results) > limit {
		results = results[:limit]
	}
	return results
}

// withPrefix returns the vocabulary terms starting with p (p itself first when present).
func (ix *index) withPrefix(p string) []string {
	i := sort.SearchStrings(ix.vocab, p)
	var out []string
	for ; i < len(ix.vocab) && strings.HasPrefix(ix.vocab[i], p); i++ {
		out = append(out, ix.vocab[i])
	}
	return out
}

var stopwords = map[string]bool{
	"a": true, "an": true, "and": true, "are": true, "as": true, "at": true, "be": true, "by": true,
	"can": true, "do": true, "for": true, "from": true, "how": true, "i": true, "if": true, "in": true,
	"is": true, "it": true, "me": true, "my": true, "of": true, "on": true, "or": true, "the": true,
	"to": true, "what": true, "when": true, "where": true, "why": true, "with": true, "you": true, "your": true,
}

// tokenize lowercases, splits on anything but letters and digits, drops
// common words and reduces simple English endings, so "refunds" finds
// "refund". Digits stay whole: "570" and "IND-181-01" are searched for.
func tokenize(s string) []string {
	fields := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	out := fields[:0]
	for _, f := range fields {
		if stopwords[f] {
			continue
		}
		out = append(out, stem(f))
	}
	return out
}

func stem(w string) string {
	switch {
	case len(w) <= 3:
		return w
	case strings.HasSuffix(w, "ies") || strings.HasSuffix(w, "ied"):
		return w[:len(w)-3] + "y" // verifies, verified -> verify
	case strings.HasSuffix(w, "ss") || strings.HasSuffix(w, "us") || strings.HasSuffix(w, "is"):
		return w // address, status, basis
	case strings.HasSuffix(w, "s"):
		return w[:len(w)-1] // refunds -> refund, notices -> notice
	}
	return w
}
