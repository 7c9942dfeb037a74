/* C core of faststats: mean and population variance in one pass (Welford's method). */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *summarize(PyObject *self, PyObject *args) {
    PyObject *seq;
    if (!PyArg_ParseTuple(args, "O", &seq)) return NULL;
    PyObject *fast = PySequence_Fast(seq, "summarize() expects a sequence of numbers");
    if (fast == NULL) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
    PyObject **items = PySequence_Fast_ITEMS(fast);
    double mean = 0.0, m2 = 0.0, lo = 0.0, hi = 0.0;
    for (Py_ssize_t i = 0; i < n; i++) {
        double x = PyFloat_AsDouble(items[i]);
        if (x == -1.0 && PyErr_Occurred()) {
            Py_DECREF(fast);
            return NULL;
        }
        if (i == 0 || x < lo) lo = x;
        if (i == 0 || x > hi) hi = x;
        double delta = x - mean;
        mean += delta / (double)(i + 1);
        m2 += delta * (x - mean);
    }
    Py_DECREF(fast);
    if (n == 0) {
        PyErr_SetString(PyExc_ValueError, "summarize() of an empty sequence");
        return NULL;
    }
    return Py_BuildValue("{s:n,s:d,s:d,s:d,s:d}", "count", n, "mean", mean,
                         "variance", m2 / (double)n, "min", lo, "max", hi);
}

static PyMethodDef methods[] = {
    {"summarize", summarize, METH_VARARGS, "Count, mean, variance, min and max of a sequence."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "faststats._core", NULL, -1, methods};

PyMODINIT_FUNC PyInit__core(void) { return PyModule_Create(&module); }
