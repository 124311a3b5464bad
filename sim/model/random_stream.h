// Each agent's random numbers, derived from (seed, replication, agent index) alone.
//
// Why a counter-based generator (Random123's Philox4x64-10): an agent's draws are a pure
// function of a key and a counter, so any agent's stream can be produced directly, on any
// thread or process, in any order, without storing or jumping a sequential state. That is
// what makes results identical for every thread count, batch size and MPI layout. Philox
// passes BigCrush with a wide margin and costs one 64x64->128 multiply per word per round.
//
// Layout of the streams (the "draw order" of the model; changing it changes every result):
//   key     = {seed, replication}
//   counter = {agent, step, lane, block}
// Step 0 is the agent's set-up, step k >= 1 its k-th touchpoint. Lane 0, block 0 gives the
// four words of a step, each with a fixed purpose (see StepSlot). A draw that needs more than
// its word (a rare ziggurat rejection) continues on lane 1 + slot, so one purpose can never
// shift another's numbers. Agent i of two scenarios therefore shares the set-up and every
// step's draws: common random numbers that survive changes to the journey.
#pragma once

#include <Random123/philox.h>

#include <cstdint>
#include <limits>
#include <vector>

namespace cjsim {

// The purpose of each word of a step's block.
enum StepSlot : int {
  // set-up (step 0)
  slot_persona = 0,
  slot_initial_emotion = 1,
  slot_entry = 2,
  // a touchpoint (step >= 1)
  slot_experience = 0,
  slot_duration = 1,
  slot_dropout = 2,
  slot_choice = 3,
};

class AgentStream;

// One agent's step blocks, shared by its walks through several journeys (a comparison's
// states): a block is a pure function of (key, agent, step), the same in every state, so the
// first walk to reach a step computes it and the others read it. Every number is the one the
// walk would compute itself. Reset between agents; blocks past kMaxSteps are not kept.
class SharedStepBlocks {
 public:
  static constexpr std::size_t kMaxSteps = 1024;
  void reset() { blocks_.clear(); }

 private:
  friend class AgentStream;
  std::vector<r123::Philox4x64::ctr_type> blocks_;
};

class AgentStream {
 public:
  using Philox = r123::Philox4x64;

  AgentStream(std::uint64_t seed, std::uint64_t replication, std::uint64_t agent)
      : key_{{seed, replication}}, agent_(agent) {}
  // A calendar journey's stream (sim/model/calendar_keys.h): the lane word's upper bits hold
  // part of the journey's key. With lane_base 0 it is the plain stream of agent `agent`.
  AgentStream(std::uint64_t seed, std::uint64_t replication, std::uint64_t agent,
              std::uint64_t lane_base)
      : key_{{seed, replication}}, agent_(agent), lane_base_(lane_base) {}

  // Makes the four words of step `step` current, and computes those of the step after.
  void begin_step(std::uint64_t step) {
    step_ = step;
    words_ = block(step);
    ahead_ = block(step + 1);
  }

  // Makes the next step current. Its words were computed a step ahead: a block's ten rounds
  // are a chain of multiplications, and computed before the step's data-dependent branches
  // (the dropout test, the choice) they run while the step does and survive a mispredicted
  // branch, instead of starting after it. The cost is one unused block per agent.
  void next_step() {
    ++step_;
    words_ = ahead_;
    ahead_ = block(step_ + 1);
  }

  // next_step without the block after it, for a driver that computes that block only when it
  // will be read (compute_ahead): a calendar journey's last visit needs none. Until then
  // next_word, at_next_step and next_step must not be used.
  void next_step_without_ahead() {
    ++step_;
    words_ = ahead_;
  }
  void compute_ahead() { ahead_ = block(step_ + 1); }

  std::uint64_t word(int slot) const { return words_.v[slot]; }

  // The word `slot` of the next step, already computed (see next_step): a draw of the next
  // step read before the step is taken (the calendar engine's visit durations), without a copy
  // of the stream.
  std::uint64_t next_word(int slot) const { return ahead_.v[slot]; }

  // The stream as it will be after next_step, except that the block after it is not computed:
  // for the rare draw of the next step that needs more than its word (a ziggurat rejection
  // reads the slot's own lane at that step). Only word() and engine() may be read from it.
  AgentStream at_next_step() const {
    AgentStream next = *this;
    ++next.step_;
    next.words_ = ahead_;
    return next;
  }

  // A uniform double in [0, 1) from the top 53 bits of a word.
  static double to_unit(std::uint64_t word) {
    return static_cast<double>(word >> 11) * 0x1.0p-53;
  }
  double uniform(int slot) const { return to_unit(words_.v[slot]); }

  // A standard uniform random bit generator (for Boost.Random's distributions) whose first
  // number is the slot's word and whose further numbers come from the slot's own lane.
  class SlotEngine {
   public:
    using result_type = std::uint64_t;
    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }

    SlotEngine(const AgentStream& stream, int slot)
        : stream_(stream), slot_(slot), first_(stream.words_.v[slot]) {}

    result_type operator()() {
      if (used_ == 0) {
        ++used_;
        return first_;
      }
      std::uint64_t index = used_ - 1;
      ++used_;
      if (index % 4 == 0) {
        Philox::ctr_type counter = {{stream_.agent_, stream_.step_,
                                     stream_.lane_base_ + static_cast<std::uint64_t>(1 + slot_),
                                     index / 4}};
        overflow_ = Philox{}(counter, stream_.key_);
      }
      return overflow_.v[index % 4];
    }

   private:
    const AgentStream& stream_;
    int slot_;
    std::uint64_t first_;
    std::uint64_t used_ = 0;
    Philox::ctr_type overflow_{};
  };

  SlotEngine engine(int slot) const { return SlotEngine(*this, slot); }

  // Reads and keeps the step blocks in `shared` (set before begin_step; plain streams only).
  void share_blocks(SharedStepBlocks* shared) { shared_ = shared; }

  // The four words of lane `lane` (5, 6, 7: beyond the step's own and its slots' lanes), block
  // `block`, at the current step: the calendar engine's draws at a journey's end and queue.
  Philox::ctr_type lane_block(std::uint64_t lane, std::uint64_t block) const {
    Philox::ctr_type counter = {{agent_, step_, lane_base_ + lane, block}};
    return Philox{}(counter, key_);
  }
  std::uint64_t step() const { return step_; }

 private:
  // Inlined into the step (the plain path's code stays as it was without sharing); the
  // shared path is a call.
  [[gnu::always_inline]] Philox::ctr_type block(std::uint64_t step) const {
    if (shared_ != nullptr) [[unlikely]] return shared_block(step);
    Philox::ctr_type counter = {{agent_, step, lane_base_, 0}};
    return Philox{}(counter, key_);
  }
  // Steps are asked for in order (0 and 1, then each next), so the first walk to ask for a
  // step appends its block.
  [[gnu::noinline]] Philox::ctr_type shared_block(std::uint64_t step) const {
    std::vector<Philox::ctr_type>& blocks = shared_->blocks_;
    if (step < blocks.size()) return blocks[step];
    Philox::ctr_type counter = {{agent_, step, lane_base_, 0}};
    const Philox::ctr_type computed = Philox{}(counter, key_);
    if (step == blocks.size() && step < SharedStepBlocks::kMaxSteps) blocks.push_back(computed);
    return computed;
  }

  Philox::key_type key_;
  std::uint64_t agent_;
  std::uint64_t lane_base_ = 0;
  std::uint64_t step_ = 0;
  Philox::ctr_type words_{};
  Philox::ctr_type ahead_{};
  SharedStepBlocks* shared_ = nullptr;
};

}  // namespace cjsim
