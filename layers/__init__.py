"""Map layers: Qt-free layer models (source, style, extent, level of detail, hit test) and, apart
from them, their Qt painters (layers.painters)."""
