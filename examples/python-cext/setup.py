from setuptools import Extension, setup

setup(
    name="faststats",
    version="0.2.0",
    description="Running statistics over numeric sequences, with a C core",
    package_dir={"": "src"},
    packages=["faststats"],
    ext_modules=[Extension("faststats._core", sources=["src/faststats/_core.c"])],
    entry_points={"console_scripts": ["faststats=faststats.cli:main"]},
    python_requires=">=3.9",
)
