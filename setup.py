"""pip build of carbonmrv: runs CMake on this repository and packages carbonmrv._core with the
pure-Python sources from bindings/python/carbonmrv (pybind11 cmake_example shape)."""
import os
import pathlib
import shlex
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).parent.resolve()
VERSION = (ROOT / "VERSION").read_text(encoding="utf-8").strip()


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        target = pathlib.Path(self.get_ext_fullpath(ext.name)).resolve()
        build_dir = pathlib.Path(self.build_temp).resolve() / "cmake"
        build_dir.mkdir(parents=True, exist_ok=True)
        generator = ["-G", "Ninja"] if shutil.which("ninja") else []
        subprocess.run(
            ["cmake", "-S", str(ROOT), "-B", str(build_dir), *generator,
             f"-DPython_EXECUTABLE={sys.executable}", "-DCMAKE_BUILD_TYPE=Release",
             "-DCMRV_BUILD_PYTHON=ON", "-DCMRV_BUILD_CLI=OFF", "-DBUILD_TESTING=OFF",
             # A unity build compiles the core in 9 translation units instead of 73: the module builds
             # in half the time (2 min 43 s against 5 min 12 s on 2 cores, docs/reliability.md). Files
             # with their own compile options (-O3 loops, version defines) stay separate (CMake).
             "-DCMRV_UNITY_BUILD=ON",
             # Extra CMake arguments, as pybind11's cmake_example reads them, e.g.
             # CMAKE_ARGS="-DCMRV_UNITY_BUILD=OFF -DCMAKE_CXX_COMPILER_LAUNCHER=ccache".
             *shlex.split(os.environ.get("CMAKE_ARGS", ""))],
            check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 1))
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_core", "-j", jobs], check=True)
        built = next((build_dir / "python" / "carbonmrv").glob("_core*.so"))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built, target)


setup(
    version=VERSION,
    packages=["carbonmrv"],
    package_dir={"carbonmrv": "bindings/python/carbonmrv"},
    package_data={"carbonmrv": ["py.typed", "*.pyi"]},  # PEP 561: the package and its stubs are typed
    ext_modules=[CMakeExtension("carbonmrv._core")],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
)
