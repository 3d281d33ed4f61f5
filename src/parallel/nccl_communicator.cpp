// The NCCL communicator: device all-gathers on the default stream (the one the engine's kernels use), waited
// for before returning, so a call is synchronous like the MPI one; host collectives are the MPI communicator's.
// libnccl (about 220 MB) is opened when a run asks for NCCL, not linked: every other run would otherwise map it
// too (a CPU rank under a memory limit fails for want of address space it never uses).
#include "parallel/nccl_communicator.h"

#include <cuda_runtime.h>
#include <dlfcn.h>
#include <nccl.h>

#include <cstring>
#include <string>

#include "core/error.h"

namespace genomamba::parallel {
namespace {

/// The NCCL calls this communicator makes, from libnccl.so.2 opened once per process (never closed: NCCL's own
/// threads may outlive a communicator).
struct NcclLibrary {
  decltype(&::ncclGetErrorString) get_error_string = nullptr;
  decltype(&::ncclGetUniqueId) get_unique_id = nullptr;
  decltype(&::ncclCommInitRank) comm_init_rank = nullptr;
  decltype(&::ncclCommDestroy) comm_destroy = nullptr;
  decltype(&::ncclAllGather) all_gather = nullptr;

  static const NcclLibrary& get() {
    static const NcclLibrary library = load();
    return library;
  }

 private:
  template <typename F>
  static void bind(void* handle, F& f, const char* name) {
    f = reinterpret_cast<F>(dlsym(handle, name));
    if (f == nullptr) throw ConfigError(std::string("--comm nccl: libnccl.so.2 has no ") + name + " (NCCL too old?)");
  }
  static NcclLibrary load() {
    void* handle = dlopen("libnccl.so.2", RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      throw ConfigError(std::string("--comm nccl: cannot open libnccl.so.2 (") + dlerror() +
                        "); install NCCL or add its folder to LD_LIBRARY_PATH");
    }
    NcclLibrary l;
    bind(handle, l.get_error_string, "ncclGetErrorString");
    bind(handle, l.get_unique_id, "ncclGetUniqueId");
    bind(handle, l.comm_init_rank, "ncclCommInitRank");
    bind(handle, l.comm_destroy, "ncclCommDestroy");
    bind(handle, l.all_gather, "ncclAllGather");
    return l;
  }
};

void check_nccl(ncclResult_t result, const char* what) {
  if (result != ncclSuccess) {
    throw DeviceError(std::string("NCCL ") + what + " failed: " + NcclLibrary::get().get_error_string(result));
  }
}

void check_cuda(cudaError_t result, const char* what) {
  if (result != cudaSuccess) throw DeviceError(std::string(what) + " failed: " + cudaGetErrorString(result));
}

class Nccl final : public Communicator {
 public:
  Nccl(std::unique_ptr<Communicator> host, core::Device device) : host_(std::move(host)), device_(device) {
    GM_CHECK(host_ != nullptr && !device.is_cpu(), "make_nccl: needs a host communicator and a GPU");
    ncclUniqueId id;
    std::memset(&id, 0, sizeof id);
    const NcclLibrary& nccl = NcclLibrary::get();  // every rank opens it before the first collective
    if (host_->rank() == 0) check_nccl(nccl.get_unique_id(&id), "ncclGetUniqueId");
    host_->broadcast_from_root({reinterpret_cast<std::byte*>(&id), sizeof id});
    check_cuda(cudaSetDevice(device.index), "cudaSetDevice");
    check_nccl(nccl.comm_init_rank(&comm_, host_->size(), id, host_->rank()), "ncclCommInitRank");
  }
  ~Nccl() override {
    if (comm_ != nullptr) NcclLibrary::get().comm_destroy(comm_);
  }
  Nccl(const Nccl&) = delete;
  Nccl& operator=(const Nccl&) = delete;

  int rank() const override { return host_->rank(); }
  int size() const override { return host_->size(); }
  std::string name() const override { return "nccl"; }
  void all_gather(std::span<const float> send, std::span<float> receive) override { host_->all_gather(send, receive); }
  void all_reduce_sum(std::span<double> values) override { host_->all_reduce_sum(values); }
  void gather_to_root(std::span<const float> send, std::span<float> receive) override {
    host_->gather_to_root(send, receive);
  }
  void barrier() override { host_->barrier(); }
  void broadcast_from_root(std::span<std::byte> bytes) override { host_->broadcast_from_root(bytes); }

  void all_gather_on(core::Device device, const float* send, int64_t count, float* receive) override {
    if (device.is_cpu()) {
      Communicator::all_gather_on(device, send, count, receive);
      return;
    }
    GM_CHECK(device == device_, "NCCL communicator: buffers on another GPU than the one it was made for");
    GM_CHECK(count >= 0, "all_gather_on: count must be >= 0");
    if (count == 0) return;
    check_nccl(NcclLibrary::get().all_gather(send, receive, static_cast<size_t>(count), ncclFloat, comm_, nullptr),
               "ncclAllGather");
    check_cuda(cudaStreamSynchronize(nullptr), "cudaStreamSynchronize after ncclAllGather");
  }

 private:
  std::unique_ptr<Communicator> host_;
  core::Device device_;
  ncclComm_t comm_ = nullptr;
};

}  // namespace

bool built_with_nccl() { return true; }

std::unique_ptr<Communicator> make_nccl(std::unique_ptr<Communicator> host, core::Device device) {
  return std::make_unique<Nccl>(std::move(host), device);
}

}  // namespace genomamba::parallel
