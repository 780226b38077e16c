"""theorylab.nn: a small reverse-mode autodiff on numpy (no torch) for MLP reward models and policies."""

from theorylab.nn.layers import MLP, SGD, Adam, Linear, cross_entropy, mse_loss
from theorylab.nn.tensor import Tensor, as_tensor

__all__ = ["Tensor", "as_tensor", "Linear", "MLP", "mse_loss", "cross_entropy", "SGD", "Adam"]
