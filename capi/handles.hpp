// Opaque C handles shared by more than one C API translation unit.
#pragma once

#include "carbonmrv.h"
#include "carbonmrv/factors.hpp"

struct cmrv_factor_catalogue {
  cmrv::FactorCatalogue catalogue;
};
