// The field table. Adding a field to a part of a journey is one entry here (and its member in
// scenario.h, its entry in the JSON Schema and its tests); the reader, writer, validation,
// diff and parameter paths follow from the entry.
#include "scenarios/fields.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <vector>

namespace cjsim {

namespace {

// A bound as people write it: 1e5 rather than 100000 for the large powers of ten.
std::string bound_text(double x) {
  const double exponent = std::log10(std::abs(x));
  if (std::abs(x) >= 1e5 && exponent == std::floor(exponent) && x > 0) {
    return fmt::format("1e{}", static_cast<int>(exponent));
  }
  return fmt::format("{}", x);
}

}  // namespace

std::string FieldRange::words() const {
  const bool bounded_below = std::isfinite(low);
  const bool bounded_above = std::isfinite(high);
  if (bounded_below && bounded_above) {
    if (low_open) {
      return fmt::format("greater than {} and at most {}{}", bound_text(low), bound_text(high),
                         unit_words);
    }
    return fmt::format("between {} and {}{}", bound_text(low), bound_text(high), unit_words);
  }
  if (bounded_below) {
    return low_open ? fmt::format("greater than {}", low) : fmt::format("{} or more", low);
  }
  if (bounded_above) {
    return high_open ? fmt::format("less than {}", high) : fmt::format("{} or less", high);
  }
  return "a finite number";
}

namespace {
constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
}  // namespace

double number_in(const FieldRef& ref) {
  struct Number {
    double operator()(double* x) const { return *x; }
    double operator()(std::int64_t* x) const { return static_cast<double>(*x); }
    double operator()(std::optional<double>* x) const { return x->value_or(kNone); }
    double operator()(std::optional<std::uint64_t>* x) const {
      return *x ? static_cast<double>(**x) : kNone;
    }
    double operator()(std::string*) const { return kNone; }
    double operator()(TextList*) const { return kNone; }
    double operator()(TextMap*) const { return kNone; }
  };
  return std::visit(Number{}, ref);
}

bool is_number(const FieldRef& ref) {
  return !std::holds_alternative<std::string*>(ref) && !std::holds_alternative<TextList*>(ref) &&
         !std::holds_alternative<TextMap*>(ref);
}

namespace {

using Kind = Duration::Kind;

// --- settings -------------------------------------------------------------------------------

constexpr Field<Settings> kSettings[] = {
    {.name = "memory",
     .ref = [](Settings& s) -> FieldRef { return &s.memory; },
     .range = kProbability,
     .unit = "fraction",
     .sweepable = true,
     .description = "lambda: how much of the previous emotion carries over to the next "
                    "touchpoint.",
     .written = Written::always},
    {.name = "kappa",
     .ref = [](Settings& s) -> FieldRef { return &s.kappa; },
     .range = kNonNegative,
     .unit = "per unit of valence",
     .sweepable = true,
     .calibratable = true,
     .description = "How strongly emotion moves dropout: the logit of dropout falls by kappa "
                    "times the emotion.",
     .written = Written::always},
    {.name = "max_steps",
     .ref = [](Settings& s) -> FieldRef { return &s.max_steps; },
     .range = kAtLeastOne,
     .unit = "touchpoints",
     .sweepable = true,
     .description = "A safety cap: a journey that has visited this many touchpoints ends as "
                    "capped.",
     .written = Written::always},
    {.name = "horizon_hours",
     .ref = [](Settings& s) -> FieldRef { return &s.horizon_hours; },
     .range = kPositive,
     .unit = "hours",
     .sweepable = true,
     .description = "When set, a journey whose clock passes this many hours ends as censored. "
                    "Absent means no horizon."},
    {.name = "seed",
     .ref = [](Settings& s) -> FieldRef { return &s.seed; },
     .range = kSeedRange,
     .description = "The seed of the random streams. Absent means the command line's seed (or "
                    "its default) is used."},
    {.name = "promoter_threshold",
     .ref = [](Settings& s) -> FieldRef { return &s.promoter_threshold; },
     .range = kScore,
     .unit = "likelihood to recommend (0-10)",
     .sweepable = true,
     .description = "A likelihood to recommend at or above this makes a promoter."},
    {.name = "detractor_threshold",
     .ref = [](Settings& s) -> FieldRef { return &s.detractor_threshold; },
     .range = kScore,
     .unit = "likelihood to recommend (0-10)",
     .sweepable = true,
     .description = "A likelihood to recommend below this makes a detractor. Must not be above "
                    "promoter_threshold."},
};

// --- touchpoints ----------------------------------------------------------------------------

constexpr Field<Touchpoint> kTouchpoints[] = {
    {.name = "id",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.id; },
     .description = "The touchpoint's unique id, used by transitions and in reports.",
     .written = Written::always,
     .required = true,
     .identity = true},
    {.name = "name",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.name; },
     .description = "A label for reports. Defaults to the id."},
    {.name = "stage",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.stage; },
     .description = "The stage this touchpoint belongs to; one of `stages`.",
     .written = Written::always,
     .required = true},
    {.name = "channel",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.channel; },
     .description = "A free label for the channel (web, app, store, ...).",
     .written = Written::always,
     .required = true},
    {.name = "emotion.mean",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.emotion_mean; },
     .range = kValence,
     .unit = "valence",
     .sweepable = true,
     .calibratable = true,
     .description = "The mean emotional impact of a visit, scaled by the persona's sensitivity."},
    {.name = "emotion.sd",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.emotion_sd; },
     .range = kNonNegative,
     .unit = "valence",
     .sweepable = true,
     .description = "The standard deviation of a visit's emotional impact."},
    {.name = "dropout",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.dropout; },
     .range = kProbability,
     .unit = "probability",
     .sweepable = true,
     .calibratable = true,
     .description = "The probability of abandoning right after this touchpoint, for a neutral "
                    "persona at neutral emotion."},
    {.name = "duration",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.duration.hours; },
     .range = kHours,
     .unit = "hours",
     .sweepable = true,
     .description = "A fixed time spent at the touchpoint.",
     .form = FieldForm::duration,
     .applies = [](const Touchpoint& t) { return t.duration.kind == Kind::fixed; }},
    {.name = "duration.exponential",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.duration.hours; },
     .range = kPositiveHours,
     .unit = "hours",
     .sweepable = true,
     .description = "The mean of an exponentially distributed time spent at the touchpoint.",
     .form = FieldForm::duration,
     .applies = [](const Touchpoint& t) { return t.duration.kind == Kind::exponential; }},
    {.name = "duration.lognormal.median",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.duration.median; },
     .range = kPositiveHours,
     .unit = "hours",
     .sweepable = true,
     .description = "The median of a lognormally distributed time spent at the touchpoint.",
     .form = FieldForm::duration,
     .applies = [](const Touchpoint& t) { return t.duration.kind == Kind::lognormal; },
     .alias = "duration.median"},
    {.name = "duration.lognormal.sigma",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.duration.sigma; },
     .range = kLognormalSigma,
     .sweepable = true,
     .description = "The standard deviation of the log of a lognormally distributed time.",
     .form = FieldForm::duration,
     .applies = [](const Touchpoint& t) { return t.duration.kind == Kind::lognormal; },
     .alias = "duration.sigma"},
    {.name = "cost",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.cost; },
     .range = kAmount,
     .unit = "money",
     .sweepable = true,
     .description = "What one visit costs the company."},
    {.name = "entry_weight",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.entry_weight; },
     .range = kNonNegative,
     .unit = "relative weight",
     .sweepable = true,
     .description = "How likely a journey starts here, relative to the other touchpoints' entry "
                    "weights. 0 means journeys never start here."},
    {.name = "conversion.value",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.value; },
     .range = kAmount,
     .unit = "money",
     .sweepable = true,
     .description = "The revenue of a conversion here, multiplied by the persona's "
                    "value_multiplier; written, it makes the touchpoint a conversion.",
     .form = FieldForm::conversion,
     .applies = [](const Touchpoint& t) { return t.conversion; },
     .alias = "value"},
    {.name = "resource",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.resource; },
     .description = "Calendar journeys: the id of the resource each visit holds one server of; "
                    "with none free the agent queues. Absent: no shared capacity."},
    {.name = "patience_hours",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.patience_hours; },
     .range = kPositiveHours,
     .unit = "hours",
     .sweepable = true,
     .description = "Calendar journeys: the mean patience (exponential) of an agent waiting for "
                    "this touchpoint, times its persona's patience; one still waiting then "
                    "abandons. Absent: agents wait for ever."},
    {.name = "wait_penalty",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.wait_penalty; },
     .range = kNonNegative,
     .unit = "valence per hour",
     .sweepable = true,
     .description = "Calendar journeys: the emotion lost per hour waited for this touchpoint "
                    "(lowers the mean of the visit's experience)."},
    {.name = "opening_hours",
     .ref = nullptr,
     .description = "Calendar journeys: when the touchpoint is open, a map of monday ... "
                    "sunday, weekdays, weekend or every_day to spans \"HH:MM-HH:MM\"; a weekday "
                    "not written is closed. Absent: always open.",
     .form = FieldForm::opening_hours},
    // The journey map's words: optional, never in a number.
    {.name = "description",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.words.description; },
     .description = "Words: what the touchpoint is, as the journey map describes it."},
    {.name = "customer_action",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.words.customer_action; },
     .description = "Words: what the customer does at the touchpoint."},
    {.name = "thoughts",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.words.thoughts; },
     .description = "Words: what the customer thinks and asks here, a list of short texts."},
    {.name = "pain_points",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.words.pain_points; },
     .description = "Words: what goes wrong or annoys here, a list of short texts."},
    {.name = "opportunities",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.words.opportunities; },
     .description = "Words: ideas for improving the touchpoint, a list of short texts."},
    {.name = "lane",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.words.lane; },
     .description = "Words: the service-blueprint lane, frontstage (seen by the customer), "
                    "backstage (staff out of sight) or support (systems and processes)."},
    {.name = "owner",
     .ref = [](Touchpoint& t) -> FieldRef { return &t.words.owner; },
     .description = "Words: the team or role responsible for the touchpoint."},
};

// --- transitions ----------------------------------------------------------------------------

constexpr Field<Transition> kTransitions[] = {
    {.name = "from",
     .ref = [](Transition& t) -> FieldRef { return &t.from; },
     .description = "The id of the touchpoint the transition leaves.",
     .written = Written::always,
     .required = true,
     .identity = true},
    {.name = "to",
     .ref = [](Transition& t) -> FieldRef { return &t.to; },
     .description = "The id of the touchpoint the transition leads to.",
     .written = Written::always,
     .required = true,
     .identity = true},
    {.name = "weight",
     .ref = [](Transition& t) -> FieldRef { return &t.weight; },
     .range = kPositive,
     .unit = "relative weight",
     .sweepable = true,
     .description = "The relative attractiveness of this transition among those out of `from`.",
     .written = Written::always},
    {.name = "emotion_bias",
     .ref = [](Transition& t) -> FieldRef { return &t.emotion_bias; },
     .unit = "per unit of valence",
     .sweepable = true,
     .description = "Positive: the happier the customer, the likelier this transition; "
                    "negative: the less likely."},
};

// --- personas -------------------------------------------------------------------------------

constexpr Field<Persona> kPersonas[] = {
    {.name = "id",
     .ref = [](Persona& p) -> FieldRef { return &p.id; },
     .description = "The persona's unique id.",
     .written = Written::always,
     .required = true,
     .identity = true},
    {.name = "share",
     .ref = [](Persona& p) -> FieldRef { return &p.share; },
     .range = kNonNegative,
     .unit = "relative share",
     .sweepable = true,
     .description = "The persona's share of the agents; shares are normalised.",
     .written = Written::always},
    {.name = "sensitivity",
     .ref = [](Persona& p) -> FieldRef { return &p.sensitivity; },
     .range = kNonNegative,
     .unit = "multiplier",
     .sweepable = true,
     .description = "Scales every emotional impact."},
    {.name = "dropout_odds",
     .ref = [](Persona& p) -> FieldRef { return &p.dropout_odds; },
     .range = kNonNegative,
     .unit = "multiplier of the odds",
     .sweepable = true,
     .description = "Multiplies the odds of abandoning at every touchpoint."},
    {.name = "value_multiplier",
     .ref = [](Persona& p) -> FieldRef { return &p.value_multiplier; },
     .range = kValueMultiplier,
     .unit = "multiplier",
     .sweepable = true,
     .description = "Multiplies the value of every conversion."},
    {.name = "initial_emotion.mean",
     .ref = [](Persona& p) -> FieldRef { return &p.initial_emotion_mean; },
     .range = kValence,
     .unit = "valence",
     .sweepable = true,
     .description = "The mean of the emotion a journey starts with."},
    {.name = "initial_emotion.sd",
     .ref = [](Persona& p) -> FieldRef { return &p.initial_emotion_sd; },
     .range = kNonNegative,
     .unit = "valence",
     .sweepable = true,
     .description = "The standard deviation of the emotion a journey starts with."},
    {.name = "patience",
     .ref = [](Persona& p) -> FieldRef { return &p.patience; },
     .range = kPatienceMultiplier,
     .unit = "multiplier",
     .sweepable = true,
     .description = "Calendar journeys: multiplies the touchpoints' patience_hours."},
    // One entry per channel, "channel_affinity.<channel>"; a channel not listed has 1.
    {.name = "channel_affinity",
     .ref = nullptr,
     .range = kNonNegative,
     .unit = "multiplier",
     .sweepable = true,
     .description = "channel -> multiplier of the attractiveness of that channel's touchpoints "
                    "(as entries and as transition targets); 0: never.",
     .form = FieldForm::channel_affinity},
    // The persona's own numbers (MODEL.md 1.12): each replaces the journey's for this persona.
    {.name = "entry",
     .ref = nullptr,
     .range = kNonNegative,
     .unit = "relative weight",
     .sweepable = true,
     .description = "touchpoint -> weight: where this persona's journeys start, replacing the "
                    "touchpoints' entry_weight for it (a touchpoint not listed: 0). Absent: the "
                    "touchpoints' entry_weight.",
     .form = FieldForm::entry_weights},
    {.name = "dropout",
     .ref = nullptr,
     .range = kProbability,
     .unit = "probability",
     .sweepable = true,
     .description = "touchpoint -> dropout: this persona's dropout there, replacing the "
                    "touchpoint's (dropout_odds still multiplies its odds). A touchpoint not "
                    "listed keeps its own.",
     .form = FieldForm::dropouts},
    {.name = "transitions",
     .ref = nullptr,
     .range = kNonNegative,
     .unit = "relative weight",
     .sweepable = true,
     .description = "A list of {from, to, weight}: this persona's weight of an existing "
                    "transition, replacing the transition's (channel affinity still multiplies "
                    "it); 0 closes it for this persona. Transitions not listed keep theirs.",
     .form = FieldForm::transition_weights},
    {.name = "name",
     .ref = [](Persona& p) -> FieldRef { return &p.words.name; },
     .description = "Words: the persona's name for reports (\"Maya, the busy parent\"). "
                    "Defaults to the id."},
    {.name = "description",
     .ref = [](Persona& p) -> FieldRef { return &p.words.description; },
     .description = "Words: who the persona is."},
    {.name = "goals",
     .ref = [](Persona& p) -> FieldRef { return &p.words.goals; },
     .description = "Words: what the persona wants, a list of short texts."},
    {.name = "quote",
     .ref = [](Persona& p) -> FieldRef { return &p.words.quote; },
     .description = "Words: a sentence in the persona's own voice."},
    {.name = "attributes",
     .ref = [](Persona& p) -> FieldRef { return &p.words.attributes; },
     .description = "Words: free facts about the persona, a map of text to text (age band, "
                    "occupation, channels used, ...)."},
};

// --- stages ---------------------------------------------------------------------------------

// A stage written as a map (`- {name: onboarding, description: ..., goals: [...]}`) rather than
// a bare name: only words.
constexpr Field<JourneyStage> kStages[] = {
    {.name = "name",
     .ref = [](JourneyStage& s) -> FieldRef { return &s.name; },
     .description = "The stage's name, used by touchpoints' `stage`.",
     .written = Written::always,
     .required = true,
     .identity = true},
    {.name = "description",
     .ref = [](JourneyStage& s) -> FieldRef { return &s.words.description; },
     .description = "Words: what happens in the stage."},
    {.name = "goals",
     .ref = [](JourneyStage& s) -> FieldRef { return &s.words.goals; },
     .description = "Words: what the customer wants to achieve in the stage, a list of short "
                    "texts."},
};

// --- calendar journeys (sim/model/MODEL.md Part 2) ---------------------------------------------

constexpr Field<Calendar> kCalendar[] = {
    {.name = "days",
     .ref = [](Calendar& c) -> FieldRef { return &c.days; },
     .range = kDays,
     .unit = "days",
     .sweepable = true,
     .description = "How many days the run covers (cjsim run --days overrides it).",
     .written = Written::always,
     .required = true},
    {.name = "arrivals_per_day",
     .ref = [](Calendar& c) -> FieldRef { return &c.arrivals_per_day; },
     .range = kArrivalsPerDay,
     .unit = "agents per day",
     .sweepable = true,
     .description = "The mean number of organic arrivals per day, before the profiles.",
     .written = Written::always,
     .required = true},
    {.name = "weekday_profile",
     .ref = nullptr,
     .range = kNonNegative,
     .unit = "relative rate",
     .description = "7 factors, Monday first, normalised to mean 1: a day of weekday d expects "
                    "arrivals_per_day times its factor. Absent: all 1.",
     .form = FieldForm::profile},
    {.name = "hour_profile",
     .ref = nullptr,
     .range = kNonNegative,
     .unit = "relative rate",
     .description = "24 factors, hour 0 (00:00-01:00) first, normalised to mean 1: how arrivals "
                    "spread over the hours of a day. Absent: all 1.",
     .form = FieldForm::profile},
    {.name = "start_weekday",
     .ref = [](Calendar& c) -> FieldRef { return &c.start_weekday; },
     .description = "The weekday of day 0: monday (the default), tuesday, ..., sunday."},
};

constexpr Field<Resource> kResources[] = {
    {.name = "id",
     .ref = [](Resource& r) -> FieldRef { return &r.id; },
     .description = "The resource's unique id, named by touchpoints' `resource`.",
     .written = Written::always,
     .required = true,
     .identity = true},
    {.name = "capacity",
     .ref = [](Resource& r) -> FieldRef { return &r.capacity; },
     .range = kServers,
     .unit = "servers",
     .sweepable = true,
     .description = "Servers (staff, desks, licences) at hours the schedule does not set; each "
                    "visit of a touchpoint using the resource holds one.",
     .written = Written::always,
     .required = true},
    {.name = "schedule",
     .ref = nullptr,
     .description = "Servers by weekday and hour (shifts): a map of monday ... sunday, "
                    "weekdays, weekend or every_day to a number (all day) or 24 numbers (hour 0 "
                    "first). A weekday not written has `capacity`.",
     .form = FieldForm::schedule},
    {.name = "cost_per_hour",
     .ref = [](Resource& r) -> FieldRef { return &r.cost_per_hour; },
     .range = kAmount,
     .unit = "money",
     .sweepable = true,
     .description = "Staff cost per server-hour offered."},
    {.name = "lane",
     .ref = [](Resource& r) -> FieldRef { return &r.lane; },
     .description = "The service-blueprint lane the resource sits in, a label for reports: "
                    "frontstage, backstage or support, the touchpoints' lane words (another "
                    "label draws a warning)."},
};

constexpr Field<WordOfMouth> kWordOfMouth[] = {
    {.name = "referrals_per_promoter",
     .ref = [](WordOfMouth& w) -> FieldRef { return &w.referrals_per_promoter; },
     .range = kMeanCount,
     .unit = "agents",
     .sweepable = true,
     .description = "The mean number of new agents a customer refers when a journey of theirs "
                    "ends as a promoter (Poisson).",
     .written = Written::always},
    {.name = "delay_days",
     .ref = [](WordOfMouth& w) -> FieldRef { return &w.delay_days; },
     .range = kPositiveDays,
     .unit = "days",
     .sweepable = true,
     .description = "The mean delay (exponential) of a referral's arrival or of a deterrence.",
     .written = Written::always},
    {.name = "entry",
     .ref = nullptr,
     .range = kNonNegative,
     .unit = "relative weight",
     .description = "touchpoint -> weight: where referred agents start. Absent: the "
                    "touchpoints' entry_weight.",
     .form = FieldForm::entry_weights},
    {.name = "homophily",
     .ref = [](WordOfMouth& w) -> FieldRef { return &w.homophily; },
     .range = kProbability,
     .unit = "probability",
     .sweepable = true,
     .description = "The chance that a referred agent has its referrer's persona; otherwise "
                    "its persona is drawn from the shares.",
     .written = Written::always},
    {.name = "deterred_per_detractor",
     .ref = [](WordOfMouth& w) -> FieldRef { return &w.deterred_per_detractor; },
     .range = kMeanCount,
     .unit = "agents",
     .sweepable = true,
     .description = "The mean number of prospects a customer deters when a journey of theirs "
                    "ends as a detractor (Poisson): each cancels an organic arrival.",
     .written = Written::always},
};

constexpr Field<Returns> kReturns[] = {
    {.name = "retention",
     .ref = [](Returns& r) -> FieldRef { return &r.retention; },
     .range = kProbability,
     .unit = "probability",
     .sweepable = true,
     .description = "The probability that a customer comes back after a journey ends, at a "
                    "neutral peak-end.",
     .written = Written::always},
    {.name = "retention_emotion",
     .ref = [](Returns& r) -> FieldRef { return &r.retention_emotion; },
     .unit = "per unit of valence",
     .sweepable = true,
     .description = "How the journey's peak-end moves the log-odds of returning.",
     .written = Written::always},
    {.name = "after_days",
     .ref = [](Returns& r) -> FieldRef { return &r.after_days; },
     .range = kPositiveDays,
     .unit = "days",
     .sweepable = true,
     .description = "The mean time (exponential) before a customer returns.",
     .written = Written::always},
    {.name = "entry",
     .ref = nullptr,
     .range = kNonNegative,
     .unit = "relative weight",
     .description = "touchpoint -> weight: where returning customers start. Absent: the "
                    "touchpoints' entry_weight.",
     .form = FieldForm::entry_weights},
};

// The keys of every map of a part, by prefix, in the table's order.
template <class Entity>
std::map<std::string_view, std::vector<std::string_view>> keys_by_prefix(
    std::span<const Field<Entity>> fields) {
  std::map<std::string_view, std::vector<std::string_view>> keys;
  for (const Field<Entity>& field : fields) {
    std::size_t start = 0;
    while (true) {
      const std::size_t dot = field.name.find('.', start);
      const std::string_view prefix = field.name.substr(0, start);
      const std::string_view key = field.name.substr(start, dot - start);
      std::vector<std::string_view>& list = keys[prefix];
      if (std::find(list.begin(), list.end(), key) == list.end()) list.push_back(key);
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
  }
  return keys;
}

template <class Entity>
std::span<const Field<Entity>> table();
template <>
std::span<const Field<Settings>> table() {
  return kSettings;
}
template <>
std::span<const Field<Touchpoint>> table() {
  return kTouchpoints;
}
template <>
std::span<const Field<Transition>> table() {
  return kTransitions;
}
template <>
std::span<const Field<Persona>> table() {
  return kPersonas;
}
template <>
std::span<const Field<JourneyStage>> table() {
  return kStages;
}
template <>
std::span<const Field<Calendar>> table() {
  return kCalendar;
}
template <>
std::span<const Field<Resource>> table() {
  return kResources;
}
template <>
std::span<const Field<WordOfMouth>> table() {
  return kWordOfMouth;
}
template <>
std::span<const Field<Returns>> table() {
  return kReturns;
}

}  // namespace

std::span<const Field<Settings>> settings_fields() { return kSettings; }
std::span<const Field<Touchpoint>> touchpoint_fields() { return kTouchpoints; }
std::span<const Field<Transition>> transition_fields() { return kTransitions; }
std::span<const Field<Persona>> persona_fields() { return kPersonas; }
std::span<const Field<Calendar>> calendar_fields() { return kCalendar; }
std::span<const Field<Resource>> resource_fields() { return kResources; }
std::span<const Field<WordOfMouth>> word_of_mouth_fields() { return kWordOfMouth; }
std::span<const Field<Returns>> returns_fields() { return kReturns; }
std::span<const Field<JourneyStage>> stage_fields() { return kStages; }

template <class Entity>
std::span<const std::string_view> keys_at(std::string_view prefix) {
  static const auto keys = keys_by_prefix(table<Entity>());
  auto it = keys.find(prefix);
  if (it == keys.end()) return {};
  return it->second;
}

template std::span<const std::string_view> keys_at<Settings>(std::string_view);
template std::span<const std::string_view> keys_at<Touchpoint>(std::string_view);
template std::span<const std::string_view> keys_at<Transition>(std::string_view);
template std::span<const std::string_view> keys_at<Persona>(std::string_view);
template std::span<const std::string_view> keys_at<Calendar>(std::string_view);
template std::span<const std::string_view> keys_at<Resource>(std::string_view);
template std::span<const std::string_view> keys_at<WordOfMouth>(std::string_view);
template std::span<const std::string_view> keys_at<Returns>(std::string_view);
template std::span<const std::string_view> keys_at<JourneyStage>(std::string_view);

}  // namespace cjsim
