"""Classification schemes, themes, and map rendering (folium/Leaflet)."""
