Hola.
Tab	aquí \n

