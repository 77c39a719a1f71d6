"""carbonmrv — industrial carbon accounting: units, factors, inventories, energy balance and
cross-verification, on one enterprise model.

The compiled core is ``carbonmrv._core``; this package re-exports its public names and adds the
pandas-facing helpers. Errors are ``carbonmrv.CarbonmrvError`` subclasses carrying ``.code`` and
``.detail``; unit problems raise ``carbonmrv.UnitError`` (also a ``ValueError``).
"""
from ._core import (  # noqa: F401
    CarbonmrvError,
    FactorNotFoundError,
    InvalidInputError,
    NotFoundError,
    Quantity,
    UnitError,
    __version__,
    apply_factor,
    convert_actual_gas,
    convert_gas_state,
    electricity_to_standard_coal,
    normalize_unit,
    unit_compatible,
    unit_kind,
)
from .units import convert, units_table  # noqa: F401
from . import batch, factors, memory_pool  # noqa: F401
from ._core import InsufficientHoldingsError, MissingParameterError, PermissionDeniedError  # noqa: F401
from ._core import CancelledError  # noqa: F401
# One module per concept (docs/architecture.md); each defines its class's Python methods.
from .enterprise import Enterprise, enterprise_from_pandas  # noqa: F401
from . import uncertainty  # noqa: F401
from .inventory import Inventory, compute_inventory  # noqa: F401
from .energy_balance import EnergyBalance, compute_energy_balance  # noqa: F401
from .verification import VerificationReport, check_catalogue, verify  # noqa: F401
from .region import RegionComparison, compare_region  # noqa: F401
from . import cleaner_production  # noqa: F401
from . import market  # noqa: F401
from . import registry  # noqa: F401
from . import policy  # noqa: F401
from . import plot  # noqa: F401  (matplotlib is imported when a plot is drawn)

__all__ = [
    "CarbonmrvError",
    "CancelledError",
    "FactorNotFoundError",
    "NotFoundError",
    "MissingParameterError",
    "PermissionDeniedError",
    "InsufficientHoldingsError",
    "Enterprise",
    "EnergyBalance",
    "VerificationReport",
    "check_catalogue",
    "compare_region",
    "RegionComparison",
    "verify",
    "compute_energy_balance",
    "Inventory",
    "compute_inventory",
    "enterprise_from_pandas",
    "batch",
    "memory_pool",
    "cleaner_production",
    "market",
    "registry",
    "policy",
    "plot",
    "factors",
    "uncertainty",
    "InvalidInputError",
    "Quantity",
    "UnitError",
    "__version__",
    "apply_factor",
    "convert",
    "convert_actual_gas",
    "convert_gas_state",
    "electricity_to_standard_coal",
    "normalize_unit",
    "unit_compatible",
    "unit_kind",
    "units_table",
]
