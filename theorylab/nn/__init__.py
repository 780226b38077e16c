"""theorylab.nn: a small reverse-mode autodiff on numpy (no torch) for MLP reward models and policies."""

from theorylab.nn.layers import MLP, SGD, Adam, Linear, cross_entropy, mse_loss
from theorylab.nn.io import load_parameters, save_parameters
from theorylab.nn.per_sample import n_parameters, per_sample_gradients
from theorylab.nn.tensor import Tensor, as_tensor

__all__ = ["Tensor", "as_tensor", "Linear", "MLP", "mse_loss", "cross_entropy", "SGD", "Adam",
           "per_sample_gradients", "n_parameters", "save_parameters", "load_parameters"]
