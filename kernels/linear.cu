// y[t, o] (+)= sum_i x[t, i] W[o, i] through cuBLAS. cuBLAS is column-major: a row-major [T, O] matrix with row
// stride y_stride is the column-major O x T matrix with leading dimension y_stride, so
//   y^T (O x T) = W (row-major [O, I], i.e. column-major I x O, transposed) * x^T (column-major I x T)
// is one SGEMM with op(A) = T, op(B) = N, m = O, n = T, k = I.
#include <cublas_v2.h>

#include <climits>
#include <string>

#include "common.cuh"
#include "linear.cuh"

namespace genomamba::ops::cuda {
namespace {

void check_blas(cublasStatus_t status, const char* call) {
  if (status == CUBLAS_STATUS_SUCCESS) return;
  throw ::genomamba::DeviceError(std::string("cuBLAS error ") + cublasGetStatusString(status) + " in " + call);
}

int as_int(int64_t value, const char* what) {
  GM_CHECK(value >= 0 && value <= INT_MAX, std::string("linear_cuda: ") + what + " does not fit cuBLAS's int");
  return static_cast<int>(value);
}

}  // namespace

void linear_cuda(const LinearParams& p) {
  GM_CHECK(p.ctx.blas != nullptr, "linear_cuda: the execution context has no cuBLAS handle (ops::DeviceContext)");
  const auto handle = static_cast<cublasHandle_t>(p.ctx.blas);
  const int m = as_int(p.out_features, "out_features"), n = as_int(p.n_rows, "n_rows");
  const int k = as_int(p.in_features, "in_features");
  const int lda = k, ldb = as_int(p.x_stride, "x_stride"), ldc = as_int(p.y_stride, "y_stride");
  const float alpha = 1.0f, beta = p.accumulate ? 1.0f : 0.0f;
  if (p.n_batch == 1) {
    check_blas(cublasSgemm(handle, CUBLAS_OP_T, CUBLAS_OP_N, m, n, k, &alpha, p.weight, lda, p.x, ldb, &beta, p.y,
                           ldc),
               "cublasSgemm");
    return;
  }
  check_blas(cublasSgemmStridedBatched(handle, CUBLAS_OP_T, CUBLAS_OP_N, m, n, k, &alpha, p.weight, lda, 0, p.x,
                                       ldb, p.x_batch_stride, &beta, p.y, ldc, p.y_batch_stride,
                                       as_int(p.n_batch, "n_batch")),
             "cublasSgemmStridedBatched");
}

void* create_blas_handle(int device_index, void* stream, void* workspace, size_t workspace_bytes) {
  GM_CUDA_CHECK(cudaSetDevice(device_index));
  cublasHandle_t handle = nullptr;
  check_blas(cublasCreate(&handle), "cublasCreate");
  try {
    check_blas(cublasSetStream(handle, static_cast<cudaStream_t>(stream)), "cublasSetStream");
    check_blas(cublasSetMathMode(handle, CUBLAS_DEFAULT_MATH), "cublasSetMathMode");
    if (workspace) check_blas(cublasSetWorkspace(handle, workspace, workspace_bytes), "cublasSetWorkspace");
  } catch (...) {
    cublasDestroy(handle);
    throw;
  }
  return handle;
}

void destroy_blas_handle(void* handle) noexcept {
  if (handle) cublasDestroy(static_cast<cublasHandle_t>(handle));
}

}  // namespace genomamba::ops::cuda
